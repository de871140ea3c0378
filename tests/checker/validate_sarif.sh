#!/bin/sh
# Validates tenantq-check's SARIF against the SARIF 2.1.0 schema with the official
# multitool (tests/checker/node_modules, installed by scripts/npm-deps.sh). The multitool
# exits 0 even for invalid logs, so its " error " lines decide. A deliberately broken
# copy must be rejected, which proves the validator is really running.
#   validate_sarif.sh CHECKER FIXTURES RUNTIME_INCLUDE WORK_DIR
set -u
checker=$1
fixtures=$2
runtime_include=$3
work=$4
here=$(cd "$(dirname "$0")" && pwd)
tool=$here/node_modules/.bin/sarif-multitool
if [ ! -x "$tool" ]; then
    echo "FAIL: $tool missing; run scripts/npm-deps.sh"
    exit 1
fi
mkdir -p "$work"
status=0

validate() {
    log=$work/validate.log
    "$tool" validate "$1" > "$log" 2>&1
    if grep -q ' error ' "$log" || ! grep -q 'Analysis completed successfully' "$log"; then
        return 1
    fi
    return 0
}

cd "$fixtures" || exit 1
"$checker" --root "$fixtures" --format sarif -o "$work/findings.sarif" bypass/*.c bypass/*.S \
    clean/suppression_with_reason.c -- -I "$runtime_include" -I "$fixtures/include" \
    -isystem "$fixtures/sysinclude" 2>/dev/null
[ $? -eq 1 ] || { echo "FAIL: expected exit 1 for the bypass fixtures"; status=1; }
"$checker" --root "$fixtures" --format sarif -o "$work/clean.sarif" clean/public_api.c \
    -- -I "$runtime_include" 2>/dev/null
[ $? -eq 0 ] || { echo "FAIL: expected exit 0 for a clean fixture"; status=1; }
"$checker" --root "$fixtures" --format sarif -o "$work/broken.sarif" errors/parse_error.c \
    -- -I "$runtime_include" 2>/dev/null
[ $? -eq 2 ] || { echo "FAIL: expected exit 2 for a parse error"; status=1; }

for log in findings clean broken; do
    if ! validate "$work/$log.sarif"; then
        echo "FAIL: $log.sarif is not valid SARIF 2.1.0:"
        cat "$work/validate.log"
        status=1
    fi
done

sed 's/"startLine"/"startLineX"/' "$work/findings.sarif" > "$work/corrupt.sarif"
if validate "$work/corrupt.sarif"; then
    echo "FAIL: the validator accepted a corrupt log; it is not checking anything"
    status=1
fi
exit $status
