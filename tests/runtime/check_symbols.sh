#!/bin/sh
# check_symbols.sh LIB INCLUDE_DIR DOC: the shared library exports exactly the functions
# the public headers declare with TQ_EXPORT, and docs/runtime.md names every one of them
# and every status code.
set -eu
lib=$1 inc=$2 doc=$3
tmp=${TMPDIR:-/tmp}/tq-symbols.$$
trap 'rm -f "$tmp".*' EXIT
sed -n 's/^TQ_EXPORT[^(]*[ *]\(tq_[a-z0-9_]*\)(.*/\1/p' "$inc"/tenantq/tenantq.h "$inc"/tenantq/raw.h |
    sort -u > "$tmp.declared"
nm -D --defined-only "$lib" | awk '$2 ~ /^[TW]$/ {print $3}' | sort -u > "$tmp.exported"
status=0
if ! diff -u "$tmp.declared" "$tmp.exported"; then
    echo "check_symbols: exported symbols differ from the TQ_EXPORT declarations" >&2
    status=1
fi
[ -s "$tmp.declared" ] || { echo "check_symbols: no declarations found" >&2; exit 1; }
while read -r fn; do
    grep -qw "$fn" "$doc" || { echo "check_symbols: $doc does not mention $fn" >&2; status=1; }
done < "$tmp.declared"
for st in $(sed -n 's/^ *\(TQ_[A-Z]*\) = [0-9]*,.*/\1/p' "$inc"/tenantq/tenantq.h | grep -v '^TQ_OP_\|^TQ_PLACEMENT_'); do
    grep -q "\`$st\`" "$doc" || { echo "check_symbols: $doc does not list $st" >&2; status=1; }
done
exit $status
