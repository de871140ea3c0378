#!/bin/sh
# Builds and runs the tenantq-devserver benchmark (release flags, one core).
# usage: devserver/bench/run.sh [build-dir] [bench args...]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-devserver-bench}
[ $# -gt 0 ] && shift
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTENANTQ_BUILD_TESTS=OFF \
      -DTENANTQ_BUILD_CHECKER=OFF >/dev/null
cmake --build "$build" --target tenantq-devserver-bench >/dev/null
exec taskset -c 0 "$build/devserver/tenantq-devserver-bench" "$@"
