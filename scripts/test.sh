#!/usr/bin/env bash
# Every test of the repository, as README.md gives it: the Swift suites of the root package
# (in series: some drive the real binary in tmux and real sockets), the install into a
# temporary prefix, then the CacheFleet library's suites and the catalog service's suites
# against a private PostgreSQL that scripts/catalog-db.sh installs if missing, starts here and
# stops on exit, with an OpenSSH server on loopback (scripts/ssh-test-server.sh) for the fleet
# screen's SSH-forwarded sockets. CacheFleet's suites run in series: its outage tests stop and
# restart the database.
set -euo pipefail
cd "$(dirname "$0")/.."
swift test --no-parallel
scripts/test-install.sh

CATALOG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cachetop-catalog-test.XXXXXX")
export CATALOG_DIR CATALOG_PGPORT=${CATALOG_PGPORT:-15433}
export SSH_TEST_DIR="$CATALOG_DIR/ssh"
trap 'scripts/ssh-test-server.sh stop; scripts/catalog-db.sh stop; rm -rf "$CATALOG_DIR"' EXIT
scripts/catalog-db.sh start
eval "$(scripts/catalog-db.sh env)"
scripts/ssh-test-server.sh start
eval "$(scripts/ssh-test-server.sh env)"
swift test --no-parallel --package-path Packages/CacheFleet
swift test --no-parallel --package-path Examples/catalog-service
