#!/usr/bin/env bash
# tools.sh PREFIX VERSION TOOL...: every installed executable answers the common
# options the same way, and has its man page.
#   --version      exit 0, stdout exactly "TOOL VERSION", stderr empty
#   --help, -h     exit 0, the same text on stdout, starting "usage: TOOL", naming
#                  both --help and --version; stderr empty
#   --no-such-option  exit 2, stdout empty, stderr starts with "TOOL:" and names it
#   PREFIX/share/man/man1/TOOL.1  help2man's page for TOOL VERSION, with its options
set -uo pipefail
prefix=${1:?usage: tools.sh PREFIX VERSION TOOL...}
version=${2:?usage: tools.sh PREFIX VERSION TOOL...}
shift 2
[ $# -gt 0 ] || { echo "tools: no tools named" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
errors=0
bad() { echo "tools: FAIL: $*" >&2; errors=$((errors + 1)); }

# Runs TOOL ARGS..., leaving stdout, stderr and the exit status in $tmp.
run() { "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; }

for tool in "$@"; do
  exe=$prefix/bin/$tool
  [ -x "$exe" ] || { bad "$exe is not installed"; continue; }

  run "$exe" --version
  [ "$(cat "$tmp/rc")" = 0 ] || bad "$tool --version exits $(cat "$tmp/rc")"
  [ "$(cat "$tmp/out")" = "$tool $version" ] || bad "$tool --version prints '$(cat "$tmp/out")', not '$tool $version'"
  [ ! -s "$tmp/err" ] || bad "$tool --version writes to stderr: $(head -1 "$tmp/err")"

  run "$exe" --help
  [ "$(cat "$tmp/rc")" = 0 ] || bad "$tool --help exits $(cat "$tmp/rc")"
  [ ! -s "$tmp/err" ] || bad "$tool --help writes to stderr: $(head -1 "$tmp/err")"
  head -1 "$tmp/out" | grep -q "^usage: $tool " || bad "$tool --help does not start with 'usage: $tool '"
  grep -q -- '--version' "$tmp/out" || bad "$tool --help does not mention --version"
  grep -q -- '--help' "$tmp/out" || bad "$tool --help does not mention --help"
  cp "$tmp/out" "$tmp/help"
  run "$exe" -h
  [ "$(cat "$tmp/rc")" = 0 ] && cmp -s "$tmp/out" "$tmp/help" || bad "$tool -h differs from $tool --help"

  run "$exe" --no-such-option
  [ "$(cat "$tmp/rc")" = 2 ] || bad "$tool --no-such-option exits $(cat "$tmp/rc"), not 2"
  [ ! -s "$tmp/out" ] || bad "$tool --no-such-option writes to stdout"
  head -1 "$tmp/err" | grep -q "^$tool: .*--no-such-option" \
    || bad "$tool --no-such-option: stderr does not start '$tool: ... --no-such-option'"

  page=$prefix/share/man/man1/$tool.1
  if [ ! -f "$page" ]; then
    bad "$page is not installed"
  else
    grep -q "^\.TH $(echo "$tool" | tr a-z A-Z) \"1\" .*\"$tool $version\"" "$page" \
      || bad "$page has no .TH line for $tool $version"
    grep -q '^\.SH "\?SEE ALSO' "$page" || bad "$page has no SEE ALSO section"
    grep -q 'share/doc/tenantq' "$page" || bad "$page does not point at share/doc/tenantq"
    grep -q '\\-\\-version' "$page" || bad "$page does not list --version"
  fi
done
[ "$errors" = 0 ] || { echo "tools: $errors failure(s)" >&2; exit 1; }
echo "tools: $# executables agree on --help, -h, --version and unknown options; man pages ok"
