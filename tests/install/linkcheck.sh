#!/usr/bin/env bash
# linkcheck.sh SOURCE_DIR WORK_DIR: the link-time check of tenantq_add_check() against an
# installed tenantq (found through CMAKE_PREFIX_PATH, like install.smoke).
#   1. Compiles the prebuilt objects and archive (linkcheck/prebuilt) with cc, outside
#      any compilation database, as a vendor's binaries would arrive.
#   2. Configures and builds the linkcheck project: every target links.
#   3. Runs each <target>_tenantq_link_check: `plain` passes; every other target fails
#      with the finding that names what it did.
#   4. The script itself: a usage error and an unreadable object exit 2 (fail closed).
set -euo pipefail
src=${1:?usage: linkcheck.sh SOURCE_DIR WORK_DIR}
work=${2:?usage: linkcheck.sh SOURCE_DIR WORK_DIR}
fail() { echo "linkcheck: FAIL: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work/prebuilt"

prefix=${CMAKE_PREFIX_PATH:?CMAKE_PREFIX_PATH must lead to the installed tenantq}
include=$prefix/include
for f in raw forge wrap; do
  cc ${CFLAGS:-} -std=c11 -fPIC -I"$include" -c "$src/prebuilt/$f.c" -o "$work/prebuilt/$f.o" \
    || fail "cannot compile prebuilt/$f.c"
done
ar rcs "$work/prebuilt/libforge.a" "$work/prebuilt/forge.o"

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$src" -B "$work/build" "${generator[@]}" -DPREBUILT_DIR="$work/prebuilt" \
  >"$work/configure.log" 2>&1 || { cat "$work/configure.log" >&2; fail "configure"; }
cmake --build "$work/build" >"$work/build.log" 2>&1 \
  || { tail -30 "$work/build.log" >&2; fail "the targets do not all link"; }

# expect TARGET STATUS [TEXT]: the link check's exit status and a line it must print.
expect() {
  local target=$1 want=$2 text=${3:-} rc=0
  ctest --test-dir "$work/build" -R "^${target}_tenantq_link_check\$" -V \
    >"$work/$target.log" 2>&1 || rc=$?
  grep -q "${target}_tenantq_link_check" "$work/$target.log" \
    || fail "$target: no link check test was added"
  if [ "$want" = 0 ]; then
    [ "$rc" = 0 ] || { cat "$work/$target.log" >&2; fail "$target: the clean link was refused"; }
  else
    [ "$rc" != 0 ] || { cat "$work/$target.log" >&2; fail "$target: the link check passed"; }
    grep -qF -- "$text" "$work/$target.log" \
      || { cat "$work/$target.log" >&2; fail "$target: no finding '$text'"; }
  fi
  echo "linkcheck: $target: ok"
}
expect plain 0
expect raw_object 1 "references the raw layer (tq_raw_count)"
expect interposed 1 "libforge.a defines tq_ctx_tenant, symbols of libtenantq"
expect wrapped 1 "link option 'LINKER:--wrap=tq_ctx_new'"
expect defsym 1 "link option '-Wl,--defsym=tq_ctx_tenant=forged_tenant'"
expect option_entry 1 "link option '-Wl,--allow-multiple-definition'"

script=$prefix/lib/cmake/tenantq/tenantq-link-check.sh
[ -f "$script" ] || script=$(find "$prefix" -name tenantq-link-check.sh | head -1)
[ -f "$script" ] || fail "tenantq-link-check.sh is not installed"
rc=0; sh "$script" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "a usage error exits $rc, not 2"
rc=0; out=$(sh "$script" t "$work" "$work" "$work" --objects "$work/missing.o" 2>&1) || rc=$?
[ "$rc" = 2 ] || fail "an unreadable object exits $rc, not 2"
grep -q "cannot read object" <<<"$out" || fail "an unreadable object is not named: $out"
echo "linkcheck: ok"
