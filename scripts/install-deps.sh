#!/usr/bin/env bash
# Installs the Debian packages tenantq needs to build and test, if any are missing;
# `install-deps.sh bench` adds what `make bench` uses to profile (linux-perf).
# Idempotent and quiet when everything is present. Needs root (or sudo) only when
# something must be installed; otherwise says what to install and exits 1.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libcurl4-openssl-dev libcjson-dev libcmocka-dev libmicrohttpd-dev libssl-dev
  libclang-dev clang-14 llvm-14 libclang-rt-14-dev libstemmer-dev
  help2man dpkg-dev
  valgrind ca-certificates
)
if [ "${1:-}" = bench ]; then
  packages+=(linux-perf)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# Node.js and npm (contract and SARIF tests) may come from Debian's nodejs + npm or
# from a nodejs build that bundles npm; a working pair on PATH is enough either way.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "install-deps: missing Debian packages: ${missing[*]}" >&2
  echo "install-deps: run as root: apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
