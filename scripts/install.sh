#!/usr/bin/env bash
# Installs cachetop under PREFIX (default /usr/local): a release build of the binary, its
# themes, shell completions for bash, zsh and fish, and a man page, laid out so that the
# installed binary finds its themes (PREFIX/share/cachetop/themes) from any directory.
#
#   scripts/install.sh [PREFIX]
#
# Prints each installed file. Needs write access to PREFIX; nothing else is touched.
# CONFIGURATION=debug installs the debug build instead (scripts/test-install.sh uses it, so
# that the test reuses the build the test suite already made).
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-/usr/local}"
case "$prefix" in
    /*) ;;
    *) echo "install.sh: PREFIX must be an absolute path, got '$prefix'" >&2; exit 2 ;;
esac

configuration="${CONFIGURATION:-release}"
swift build -c "$configuration" --product cachetop >/dev/null
binary=$(swift build -c "$configuration" --show-bin-path)/cachetop

# The man page, from the command's own help (swift-argument-parser's generate-manual plugin,
# which writes one page per executable under .build/plugins/GenerateManual/outputs/).
swift package plugin generate-manual --configuration "$configuration" >/dev/null
manual_dir=.build/plugins/GenerateManual/outputs/cachetop

put() { # put MODE SOURCE DESTINATION
    install -D -m "$1" "$2" "$3"
    echo "$3"
}
put 755 "$binary" "$prefix/bin/cachetop"
for theme in themes/*.theme; do
    put 644 "$theme" "$prefix/share/cachetop/themes/$(basename "$theme")"
done
completions=$(mktemp -d /tmp/cachetop-completions.XXXXXX)
trap 'rm -rf "$completions"' EXIT
"$binary" --generate-completion-script bash > "$completions/cachetop"
"$binary" --generate-completion-script zsh > "$completions/_cachetop"
"$binary" --generate-completion-script fish > "$completions/cachetop.fish"
put 644 "$completions/cachetop" "$prefix/share/bash-completion/completions/cachetop"
put 644 "$completions/_cachetop" "$prefix/share/zsh/site-functions/_cachetop"
put 644 "$completions/cachetop.fish" "$prefix/share/fish/vendor_completions.d/cachetop.fish"
page=$(find "$manual_dir" -name 'cachetop.1' | head -1)
if [ -z "$page" ]; then echo "install.sh: the man page was not generated" >&2; exit 1; fi
put 644 "$page" "$prefix/share/man/man1/cachetop.1"
