#!/bin/sh
# breaking_test.sh GEN DIR: `GEN --breaking-against base.tqs X.tqs` for every schema X in
# DIR/schemas (base_sparse.tqs for the sparse_* ones) must print exactly
# DIR/expected/X.breaking (its last line is the exit status), the same read from stdin
# ("-"), and --format json must agree on the counts.
# Also the usage and I/O errors (exit 2).
set -u
gen=$1 dir=$2
tmp=${TMPDIR:-/tmp}/tq-breaking.$$
trap 'rm -f "$tmp".*' EXIT
cd "$dir/schemas" || exit 1
status=0
for schema in *.tqs; do
    name=${schema%.tqs}
    case $name in
    base | base_sparse) continue ;;
    sparse_*) base=base_sparse.tqs ;;
    *) base=base.tqs ;;
    esac
    expected=../expected/$name.breaking
    "$gen" --breaking-against "$base" "$schema" > "$tmp.out" 2> "$tmp.err"
    echo "exit $?" >> "$tmp.out"
    if ! diff -u "$expected" "$tmp.out"; then
        echo "breaking_test: $schema: output differs from $expected" >&2
        status=1
    fi
    "$gen" --breaking-against - "$schema" < "$base" > "$tmp.stdin" 2>/dev/null
    echo "exit $?" >> "$tmp.stdin"
    sed "s/^${base%.tqs}\\.tqs:/<stdin>:/" "$expected" > "$tmp.want"
    if ! diff -u "$tmp.want" "$tmp.stdin"; then
        echo "breaking_test: $schema: reading the old schema from stdin differs" >&2
        status=1
    fi
    "$gen" --breaking-against "$base" "$schema" --format json > "$tmp.json" 2>/dev/null
    for level in breaking action safe; do
        want=$(grep -c "^[^:]*:[0-9]*:[0-9]*: $level: " "$expected")
        got=$(sed -n "s/^  \"$level\": \([0-9]*\),\$/\1/p" "$tmp.json")
        if [ "$want" != "$got" ]; then
            echo "breaking_test: $schema: json says $level $got, text $want" >&2
            status=1
        fi
        n=$(grep -c "\"level\": \"$level\"" "$tmp.json")
        [ "$n" = "$want" ] || { echo "breaking_test: $schema: json lists $n $level changes, text $want" >&2; status=1; }
    done
done
expect_exit() { # WANT ARGS...: the exit status and a message on stderr
    want=$1; shift
    "$gen" "$@" > /dev/null 2> "$tmp.err"
    got=$?
    if [ "$got" != "$want" ] || [ ! -s "$tmp.err" ]; then
        echo "breaking_test: tenantq-gen $*: exit $got (want $want), stderr: $(cat "$tmp.err")" >&2
        status=1
    fi
}
expect_exit 2 --breaking-against missing.tqs base.tqs
expect_exit 2 --breaking-against base.tqs missing.tqs
expect_exit 2 --breaking-against base.tqs
expect_exit 2 --breaking-against base.tqs add_field.tqs remove_op.tqs
expect_exit 2 --breaking-against base.tqs add_field.tqs --format yaml
expect_exit 2 --breaking-against base.tqs add_field.tqs --check
expect_exit 2 --format json base.tqs
printf 'schema broken\n' > "$tmp.bad.tqs"
expect_exit 2 --breaking-against "$tmp.bad.tqs" base.tqs
exit $status
