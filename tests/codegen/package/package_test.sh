#!/bin/sh
# package_test.sh BUILD_DIR SOURCE_DIR WORK [FLAGS]: installs the tenantq build into
# WORK/prefix, builds tests/codegen/package against it with tenantq_generate() and runs
# the result. FLAGS (compile and link) match a sanitizer build of the package.
set -u
BUILD=$1 SRC=$2 WORK=$3 FLAGS=${4:-}
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$WORK" && mkdir -p "$WORK" || fail "cannot create $WORK"
cmake --install "$BUILD" --prefix "$WORK/prefix" >"$WORK/install.log" 2>&1 ||
    { cat "$WORK/install.log" >&2; fail "install"; }
[ -x "$WORK/prefix/bin/tenantq-gen" ] || fail "tenantq-gen not installed"
[ -f "$WORK/prefix/lib/cmake/tenantq/TenantqGenerate.cmake" ] ||
    [ -f "$WORK/prefix/lib64/cmake/tenantq/TenantqGenerate.cmake" ] ||
    find "$WORK/prefix" -name TenantqGenerate.cmake | grep -q . || fail "TenantqGenerate.cmake not installed"
# PATH must not matter: the package config names the installed generator.
PATH=/usr/bin:/bin cmake -S "$SRC/tests/codegen/package" -B "$WORK/app" \
    -DCMAKE_PREFIX_PATH="$WORK/prefix" -DCMAKE_C_FLAGS="$FLAGS" \
    -DCMAKE_EXE_LINKER_FLAGS="$FLAGS" >"$WORK/configure.log" 2>&1 ||
    { cat "$WORK/configure.log" >&2; fail "configure"; }
cmake --build "$WORK/app" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "build"; }
out=$(LD_LIBRARY_PATH="$WORK/prefix/lib:$WORK/prefix/lib64" "$WORK/app/app") || fail "run"
[ "$out" = "dim 384 abi 3 TQ_ELEAK" ] || fail "unexpected output: $out"
head -n 2 "$WORK/app/tenantq/app/kb.tq.h" | grep -q '^// source: \.\./schemas/kb\.tqs sha256:' ||
    fail "banner path"
exit 0
