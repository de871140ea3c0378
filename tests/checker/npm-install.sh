#!/bin/sh
# Installs the SARIF validator the checker tests use (@microsoft/sarif-multitool,
# pinned in package-lock.json) into tests/checker/node_modules.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
