#!/usr/bin/env bash
# templates.sh TEMPLATE_DIR WORK_DIR: examples/ci/github-actions.yml and gitlab-ci.yml
# are valid against their platforms' published JSON schemas (validate.mjs), and the
# validators are shown to bite: a copy of each with a misspelt key is rejected.
# The templates also name exactly the commands tenantq provides: the generate-only and
# gate targets tenantq_add_check() makes, and tenantq-gen --breaking-against.
set -euo pipefail
templates=${1:?usage: templates.sh TEMPLATE_DIR WORK_DIR}
work=${2:?usage: templates.sh TEMPLATE_DIR WORK_DIR}
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "templates: FAIL: $*" >&2; exit 1; }
[ -d "$here/node_modules/@action-validator/core" ] && [ -d "$here/node_modules/gitlab-ci-local" ] \
  || fail "$here/node_modules is incomplete; run scripts/npm-deps.sh"
rm -rf "$work"
mkdir -p "$work"
github=$templates/github-actions.yml
gitlab=$templates/gitlab-ci.yml

node "$here/validate.mjs" github "$github"
node "$here/validate.mjs" gitlab "$gitlab"
sed 's/^    runs-on:/    runs-onn:/' "$github" >"$work/github-bad.yml"
sed 's/^  stage: lint/  stagee: lint/' "$gitlab" >"$work/gitlab-bad.yml"
cmp -s "$github" "$work/github-bad.yml" && fail "the GitHub mutation changed nothing"
cmp -s "$gitlab" "$work/gitlab-bad.yml" && fail "the GitLab mutation changed nothing"
node "$here/validate.mjs" github "$work/github-bad.yml" --expect-invalid
node "$here/validate.mjs" gitlab "$work/gitlab-bad.yml" --expect-invalid

for t in "$github" "$gitlab"; do
  grep -q 'tenantq-gen --breaking-against - "$SCHEMA"' "$t" || fail "$t lacks the breaking check"
  grep -q 'cmake --build build --target "${APP_TARGET}_tenantq_' "$t" || fail "$t lacks the gate target"
done
grep -q 'github/codeql-action/upload-sarif' "$github" || fail "$github does not upload SARIF"
grep -q 'codequality: build/gl-code-quality-report.json' "$gitlab" || fail "$gitlab has no Code Quality report"
grep -q 'FORMAT gitlab' "$gitlab" || fail "$gitlab does not ask tenantq-check for --format gitlab"
echo "templates: ok"
