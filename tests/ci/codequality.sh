#!/usr/bin/env bash
# codequality.sh TENANTQ_CHECK FIXTURES INCLUDE WORK_DIR: the report of
# `tenantq-check --format gitlab` is valid against GitLab's Code Quality report format
# (gitlab-codequality.schema.json, checked with ajv by validate.mjs) for a run with
# findings of both severities and for a clean run, and the validator is shown to bite:
# copies with an unknown severity, a missing line and a repeated fingerprint are rejected.
set -euo pipefail
check=${1:?usage: codequality.sh TENANTQ_CHECK FIXTURES INCLUDE WORK_DIR}
fixtures=${2:?}
include=${3:?}
work=${4:?}
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "codequality: FAIL: $*" >&2; exit 1; }
[ -d "$here/node_modules/ajv" ] || fail "$here/node_modules is incomplete; run scripts/npm-deps.sh"
rm -rf "$work"
mkdir -p "$work"

status=0
"$check" --root "$fixtures" --format gitlab -o "$work/findings.json" \
  "$fixtures/bypass/tq002_snapshots.c" "$fixtures/bypass/tq007_literal_tenant.c" \
  -- "-I$include" || status=$?
[ "$status" = 1 ] || fail "tenantq-check exited $status on the bypass fixtures, expected 1"
grep -q '"severity":[[:space:]]*"critical"' "$work/findings.json" || fail "no critical issue"
grep -q '"severity":[[:space:]]*"minor"' "$work/findings.json" || fail "no minor issue"
node "$here/validate.mjs" codequality "$work/findings.json"

"$check" --root "$fixtures" --format gitlab -o "$work/clean.json" \
  "$fixtures/clean/public_api.c" -- "-I$include" || fail "the clean fixture had findings"
node "$here/validate.mjs" codequality "$work/clean.json"

# Each mutation must change the report and be rejected.
mutate() {
  node -e '
    const fs = require("fs");
    const [file, how, out] = process.argv.slice(1);
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    if (how === "severity") r[0].severity = "high";
    if (how === "line") delete r[0].location.lines;
    if (how === "fingerprint") r[1].fingerprint = r[0].fingerprint;
    fs.writeFileSync(out, JSON.stringify(r));' "$work/findings.json" "$1" "$work/bad-$1.json"
  node "$here/validate.mjs" codequality "$work/bad-$1.json" --expect-invalid
}
for how in severity line fingerprint; do mutate "$how"; done
echo "codequality: ok"
