#!/usr/bin/env bash
# The install as a user would do it: scripts/install.sh into a temporary prefix, then the
# installed binary run from another directory, with a theme, its version, completions and man
# page. Exits non-zero, with the reason, on the first thing that is wrong.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$(mktemp -d /tmp/cachetop-prefix.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
CONFIGURATION="${CONFIGURATION:-debug}" scripts/install.sh "$prefix" >/dev/null
fail() { echo "test-install: $*" >&2; exit 1; }

expected=$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/CacheVocabulary/CacheEngineVersion.swift)
cd /
version=$("$prefix/bin/cachetop" --version)
[ "$version" = "$expected" ] || fail "--version printed '$version', expected '$expected'"
frame=$(env -u CACHETOP_THEMES HOME=/nonexistent "$prefix/bin/cachetop" demo -b -n 1 --size 100x30 --theme light)
case "$frame" in *"Hit ratio"*) ;; *) fail "the installed binary drew no frame with the light theme" ;; esac
if env -u CACHETOP_THEMES HOME=/nonexistent "$prefix/bin/cachetop" demo -b -n 1 --theme no-such-theme 2>/dev/null >/dev/null; then
    fail "an unknown theme was accepted"
fi
grep -q "attach" "$prefix/share/bash-completion/completions/cachetop" || fail "the bash completion does not know attach"
grep -q "attach" "$prefix/share/zsh/site-functions/_cachetop" || fail "the zsh completion does not know attach"
grep -q "attach" "$prefix/share/fish/vendor_completions.d/cachetop.fish" || fail "the fish completion does not know attach"
grep -q "attach" "$prefix/share/man/man1/cachetop.1" || fail "the man page does not mention attach"
echo "test-install: installed into a temporary prefix; version $version, themes, completions and man page found from /"
