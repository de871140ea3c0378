#!/usr/bin/env bash
# Installs the npm packages the tests use, with `npm ci`, exactly as pinned by each
# folder's committed package-lock.json, into that folder's node_modules:
#   tests/contract  the official Qdrant JS client, ajv (contract tests)
#   tests/checker   @microsoft/sarif-multitool (SARIF validation)
#   tests/ci        the GitHub workflow and GitLab CI schemas (CI template tests)
# Nothing is installed globally. Idempotent and fast: a stamp inside node_modules
# records the sha256 of package.json and package-lock.json it was installed from; when
# it still matches, the folder is skipped without touching the network.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "npm-deps: node and npm are required (scripts/install-deps.sh installs them)" >&2
  exit 1
fi

for dir in "$root/tests/contract" "$root/tests/checker" "$root/tests/ci"; do
  lock="$dir/package-lock.json"
  stamp="$dir/node_modules/.tenantq-npm-stamp"
  if [ ! -f "$lock" ]; then
    echo "npm-deps: $lock is missing" >&2
    exit 1
  fi
  want="$(cat "$dir/package.json" "$lock" | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    continue
  fi
  echo "npm-deps: installing test packages in ${dir#"$root"/} (npm ci)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  printf '%s\n' "$want" > "$stamp"
done
