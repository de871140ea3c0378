#!/usr/bin/env bash
# linkcheck.sh SOURCE_DIR WORK_DIR: the link-time check of tenantq_add_check() against an
# installed tenantq (found through CMAKE_PREFIX_PATH, like install.smoke).
#   1. Compiles the prebuilt objects and archive (linkcheck/prebuilt) with cc, outside
#      any compilation database, as a vendor's binaries would arrive.
#   2. Configures and builds the linkcheck project: every target links.
#   3. Runs each <target>_tenantq_link_check: `plain` passes; every other target fails
#      with the finding that names what it did, including what only the recorded link
#      command shows (a bare -lforge, a dependency's --wrap, a dependency's linker
#      script).
#   4. The script itself: a usage error, an unreadable object, a link command never
#      recorded and one that reads a response file exit 2 (fail closed).
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
printf 'tq_ctx_tenant = forged_tenant;\n' >"$work/prebuilt/alias.ld"

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
expect wrapped 1 "link option '-Wl,--wrap=tq_ctx_new'"
expect defsym 1 "link option '-Wl,--defsym=tq_ctx_tenant=forged_tenant'"
expect option_entry 1 "link option '-Wl,--allow-multiple-definition'"
expect bare_name 1 "prebuilt/libforge.a defines tq_ctx_tenant, symbols of libtenantq"
expect inherited 1 "link option '-Wl,--wrap=tq_ctx_new'"
expect scripted 1 "alias.ld is a linker script that defines or places symbols"
grep -q "^-lforge\$" "$work/build/CMakeFiles/bare_name.dir/tenantq-link-line.txt" \
  || fail "bare_name was not linked with -lforge, so its case proves nothing"

script=$prefix/lib/cmake/tenantq/tenantq-link-check.sh
[ -f "$script" ] || script=$(find "$prefix" -name tenantq-link-check.sh | head -1)
[ -f "$script" ] || fail "tenantq-link-check.sh is not installed"
rc=0; sh "$script" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "a usage error exits $rc, not 2"
rc=0; out=$(sh "$script" t "$work" "$work" "$work" --objects "$work/missing.o" 2>&1) || rc=$?
[ "$rc" = 2 ] || fail "an unreadable object exits $rc, not 2"
grep -q "cannot read object" <<<"$out" || fail "an unreadable object is not named: $out"
rc=0; out=$(sh "$script" t "$work" "$work" "$work" --link-line "$work/none.txt" 2>&1) || rc=$?
[ "$rc" = 2 ] || fail "a link command never recorded exits $rc, not 2"
grep -q "the link command was not recorded" <<<"$out" || fail "no record is not named: $out"
# A recorded command in the spellings CMake does not produce itself: each is found.
printf '%s\n' "$work" cc -o app -Xlinker --defsym=tq_ctx_new=f -z muldefs -L prebuilt \
  -l:libforge.a -lm >"$work/spellings.txt"
rc=0; out=$(sh "$script" t "$work" "$work" "$work" --link-line "$work/spellings.txt" 2>&1) \
  || rc=$?
[ "$rc" = 1 ] || fail "the spellings record exits $rc, not 1: $out"
for want in "link option '-Xlinker --defsym=tq_ctx_new=f'" "link option '-z muldefs'" \
            "library $work/prebuilt/libforge.a defines tq_ctx_tenant" "t: 3 finding(s)"; do
  grep -qF -- "$want" <<<"$out" || fail "the spellings record does not say '$want': $out"
done
printf '%s\n' "$work" cc @link.rsp -o app >"$work/rsp.txt"
rc=0; out=$(sh "$script" t "$work" "$work" "$work" --link-line "$work/rsp.txt" 2>&1) || rc=$?
[ "$rc" = 2 ] || fail "a response file exits $rc, not 2"
grep -q "reads a response file (@link.rsp)" <<<"$out" || fail "the response file is not named: $out"
echo "linkcheck: ok"
