#!/bin/sh
# Runs tenantq-check on one fixture and compares its text output and exit status with
# the fixture's expectations.
#   run_fixture.sh CHECKER FIXTURES RUNTIME_INCLUDE SOURCE
# SOURCE is a path under FIXTURES (a .c, .cpp or .S file); CASE is SOURCE without its
# extension. Optional files next to it:
#   CASE.expected  exact text output (absent: no output expected)
#   CASE.args      extra checker arguments, one per line (paths relative to FIXTURES)
#   CASE.exit      expected exit status (default: 1 with expected output, else 0)
#   CASE.cflags    extra compiler arguments, one per line, after the include paths
set -u
checker=$1
root=$2
runtime_include=$3
source=$4
case=${source%.*}

cd "$root" || exit 1
expected=/dev/null
want=0
if [ -f "$case.expected" ]; then
    expected=$case.expected
    want=1
fi
if [ -f "$case.exit" ]; then
    want=$(cat "$case.exit")
fi
set --
if [ -f "$case.args" ]; then
    while IFS= read -r arg; do
        set -- "$@" "$arg"
    done < "$case.args"
fi

cflags=
if [ -f "$case.cflags" ]; then
    cflags=$case.cflags
fi

out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
set -- "$@" "$source" -- -I "$runtime_include" -I "$root/include"
if [ -n "$cflags" ]; then
    while IFS= read -r arg; do
        set -- "$@" "$arg"
    done < "$cflags"
fi
"$checker" --root "$root" -j 2 "$@" > "$out" 2> "$err"
rc=$?
status=0
if ! diff -u "$expected" "$out"; then
    echo "FAIL $case: text output differs from $expected"
    status=1
fi
if [ "$rc" -ne "$want" ]; then
    echo "FAIL $case: exit status $rc, expected $want"
    status=1
fi
if [ "$status" -ne 0 ]; then
    echo "--- stderr:"
    cat "$err"
fi
exit "$status"
