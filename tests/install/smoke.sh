#!/usr/bin/env bash
# smoke.sh SMOKE_SOURCE_DIR WORK_DIR: an installed tenantq, used the two documented
# ways, against the installed tenantq-devserver.
#
# The installation is whatever PATH, PKG_CONFIG_PATH and CMAKE_PREFIX_PATH lead to (the
# callers point them at a staging prefix, or leave them alone for the Debian package in
# /usr). CFLAGS and LDFLAGS are passed on (a sanitized tenantq needs the sanitizer
# runtimes in the application too).
#   1. pkg-config: tenantq-gen on the installed example schema, then
#      cc smoke.c kb.tq.c $(pkg-config --cflags --libs tenantq), with an rpath to the
#      library directory (needed outside the linker's default paths), run.
#   2. CMake: find_package(tenantq) + tenantq_generate + tenantq_add_check; the gate
#      runs before the build (generate-only target) and passes; a target calling the raw
#      layer fails both its gate target and its ctest test with TQ001, and with FORMAT
#      gitlab and OUTPUT writes the Code Quality report there; build, run.
# Each run talks to a fresh tenantq-devserver on a free port.
set -euo pipefail
src=${1:?usage: smoke.sh SMOKE_SOURCE_DIR WORK_DIR}
work=${2:?usage: smoke.sh SMOKE_SOURCE_DIR WORK_DIR}
rm -rf "$work"
mkdir -p "$work"
devserver_pid=
cleanup() { if [ -n "$devserver_pid" ]; then kill "$devserver_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

fail() { echo "smoke: FAIL: $*" >&2; exit 1; }
step() { echo "smoke: $*"; }

for tool in tenantq-gen tenantq-devserver pkg-config; do
  command -v "$tool" >/dev/null || fail "$tool is not on PATH"
done
step "tools: $(command -v tenantq-gen) ($(tenantq-gen --version))"
examples=$(pkg-config --variable=examplesdir tenantq) || fail "pkg-config does not know tenantq"
[ -f "$examples/kb-assistant/kb.tqs" ] || fail "the example schema is not installed in $examples"
registry=$examples/kb-assistant/registry.json

# Starts tenantq-devserver on a free port and exports TENANTQ_QDRANT_URL.
start_devserver() {
  local log=$work/devserver.$1.log
  cleanup
  tenantq-devserver --port 0 >"$log" 2>&1 &
  devserver_pid=$!
  for _ in $(seq 100); do
    if grep -q '^listening on ' "$log"; then
      TENANTQ_QDRANT_URL=$(sed -n 's/^listening on //p' "$log")
      export TENANTQ_QDRANT_URL
      return 0
    fi
    kill -0 "$devserver_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  fail "tenantq-devserver did not start"
}

step "1. pkg-config: $(pkg-config --cflags --libs tenantq)"
mkdir -p "$work/pc"
tenantq-gen -o "$work/pc" "$examples/kb-assistant/kb.tqs"
# shellcheck disable=SC2046,SC2086 # pkg-config and CFLAGS are lists of words
${CC:-cc} -std=c11 -Wall -Wextra -Wpedantic -Werror ${CFLAGS:-} -I"$work/pc" \
  -o "$work/pc/smoke" "$src/smoke.c" "$work/pc/kb.tq.c" \
  $(pkg-config --cflags --libs tenantq) ${LDFLAGS:-} \
  -Wl,-rpath,"$(pkg-config --variable=libdir tenantq)"
start_devserver pc
"$work/pc/smoke" "$registry" || fail "the pkg-config build of the smoke client failed its run"

step "2. CMake: find_package(tenantq), tenantq_generate, tenantq_add_check"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
gate=ON
if ! command -v tenantq-check >/dev/null; then
  gate=OFF
  step "   this tenantq was built without tenantq-check: the gate steps are not run"
fi
cmake -S "$src" -B "$work/cmake" "${generator[@]}" -DSMOKE_BAD=ON -DSMOKE_GATE=$gate \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log" >&2; fail "configure against the installed package"; }
if [ "$gate" = ON ]; then
  # The gate before the build: nothing is compiled, the generated files are written.
  cmake --build "$work/cmake" --target smoke_tenantq_check >"$work/gate.log" 2>&1 \
    || { cat "$work/gate.log" >&2; fail "the lint gate refused the clean smoke client"; }
  [ ! -e "$work/cmake/smoke" ] || fail "the gate target built the application"
  # The project has a second target (bad) in the same compilation database: the gate of
  # one target checks that target's sources and says nothing about the other's.
  if grep -q 'not checked' "$work/gate.log"; then
    cat "$work/gate.log" >&2; fail "the gate of one target noted other targets' entries"
  fi
  [ -f "$work/cmake/tenantq/smoke/kb.tq.h" ] || fail "the gate target did not generate kb.tq.h"
  if cmake --build "$work/cmake" --target bad_tenantq_check >"$work/bad.log" 2>&1; then
    fail "the lint gate target passed a raw-layer call"
  fi
  grep -q 'TQ001' "$work/bad.log" || { cat "$work/bad.log" >&2; fail "no TQ001 in the gate's output"; }
  if ctest --test-dir "$work/cmake" -R '^bad_tenantq_check$' >"$work/bad-ctest.log" 2>&1; then
    fail "the ctest gate passed a raw-layer call"
  fi
  grep -q 'bad_tenantq_check .*Failed' "$work/bad-ctest.log" \
    || { cat "$work/bad-ctest.log" >&2; fail "the ctest gate did not run"; }
  if cmake --build "$work/cmake" --target bad_gitlab >"$work/bad-gitlab.log" 2>&1; then
    fail "the gate target with FORMAT gitlab passed a raw-layer call"
  fi
  grep -q '"check_name":.*TQ001' "$work/cmake/bad-codequality.json" \
    || { cat "$work/bad-gitlab.log" >&2; fail "no TQ001 issue in the Code Quality report (OUTPUT)"; }
fi
cmake --build "$work/cmake" --target smoke >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; fail "build against the installed package"; }
if [ "$gate" = ON ]; then
  ctest --test-dir "$work/cmake" -R '^smoke_tenantq_check$' --output-on-failure >/dev/null \
    || fail "the ctest gate refused the clean smoke client"
fi
start_devserver cmake
"$work/cmake/smoke" "$registry" || fail "the CMake build of the smoke client failed its run"
step "ok"
