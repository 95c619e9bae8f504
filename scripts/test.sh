#!/usr/bin/env bash
# Every test of the repository, as README.md gives it: the Swift suites (in series: some drive
# the real binary in tmux and real sockets), then the install into a temporary prefix.
set -euo pipefail
cd "$(dirname "$0")/.."
swift test --no-parallel
scripts/test-install.sh
