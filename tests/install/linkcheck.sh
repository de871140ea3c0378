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
#      recorded and one that reads a response file exit 2 (fail closed); recorded link
#      commands in spellings CMake does not produce (inputs and options inside -Wl,
#      abbreviated options, driver options, linker scripts naming inputs by relative
#      names, thin archives, a symlinked build directory) get their verdicts.
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
expect scripted 1 "alias.ld is a linker script that does more than list inputs"
expect uses_library 0
grep -q "libkb_library.a" "$work/build/CMakeFiles/uses_library.dir/tenantq-link-line.txt" \
  || fail "uses_library was not linked with libkb_library.a, so its case proves nothing"
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
# Recorded link commands in spellings CMake does not produce itself, each read by the
# script directly. recorded NAME STATUS TEXT... -- WORD...: the record holds the work
# directory, the steering environment (record_library_path, record_compiler_path) and
# the WORDs (the driver first); the script exits STATUS and says each TEXT.
recorded() {
  local name=$1 want=$2 rc=0 out texts=()
  shift 2
  while [ "$1" != -- ]; do texts+=("$1"); shift; done
  shift
  printf '%s\n' "$work" "LIBRARY_PATH=${record_library_path:-}" \
    "COMPILER_PATH=${record_compiler_path:-}" GCC_EXEC_PREFIX= "$@" >"$work/$name.txt"
  out=$(sh "$script" t "$work/obj" "$work" "$work" --project-files "$work/project/libkb.a" \
        --link-line "$work/$name.txt" 2>&1) || rc=$?
  [ "$rc" = "$want" ] || fail "record $name exits $rc, not $want: $out"
  for text in "${texts[@]}"; do
    grep -qF -- "$text" <<<"$out" || fail "record $name does not say '$text': $out"
  done
  echo "linkcheck: record $name: ok"
}
forge_defines="prebuilt/libforge.a defines tq_ctx_tenant"
recorded spellings 1 "link option '-Xlinker --defsym=tq_ctx_new=f'" "link option '-z muldefs'" \
  "$forge_defines" "t: 3 finding(s)" -- \
  cc -o app -Xlinker --defsym=tq_ctx_new=f -z muldefs -L prebuilt -l:libforge.a -lm
recorded in_wl_input 1 "$forge_defines" -- cc -o app "-Wl,$work/prebuilt/libforge.a"
recorded in_wl_search 1 "$forge_defines" -- cc -o app -Wl,-Lprebuilt,-lforge
recorded abbreviated 1 "link option '-Wl,--defsy=tq_ctx_tenant=f'" \
  "link option '-Wl,-wra,tq_ctx_new'" "link option '-Wl,--just-symbols=x'" \
  "link option '-Xlinker -dT'" -- \
  cc -o app -Wl,--defsy=tq_ctx_tenant=f -Wl,-wra,tq_ctx_new -Wl,--just-symbols=x \
  -Xlinker -dT -Xlinker x.ld
recorded driver 1 "driver option '-specs=x.specs'" "driver option '-B/opt/ld'" \
  "driver option '-fuse-ld=/opt/ld'" -- cc -o app -specs=x.specs -B/opt/ld -fuse-ld=/opt/ld
recorded response_file 2 "reads a response file (@link.rsp)" -- cc @link.rsp -o app
recorded response_in_wl 2 "reads a response file (-Wl,@link.rsp)" -- cc -Wl,@link.rsp -o app
# An option's argument is only the next linker word: what follows is read.
recorded after_arguments 1 "link option '-Wl,--wrap=tq_ctx_tenant'" \
  "link option '-Wl,-x,--wrap=tq_ctx_tenant'" "link option '-Wl,prebuilt,--wrap=tq_ctx_new'" \
  "link option '-Wl,-rpath,\\c,--wrap=tq_ctx_new'" "link option '-Wl,--wr=tq_ctx_new'" -- \
  cc -O -Wl,--wrap=tq_ctx_tenant -o app -Wl,-x,--wrap=tq_ctx_tenant -Wl,-rpath \
  -Wl,prebuilt,--wrap=tq_ctx_new '-Wl,-rpath,\c,--wrap=tq_ctx_new' -Wl,--wr=tq_ctx_new
recorded feeders 1 "link option '-Wl,-plugin,x.so'" "driver option '-wrapper'" -- \
  cc -o app -Wl,-plugin,x.so -wrapper /bin/sh,x.sh
recorded sysroot 2 "relative to the sysroot (-Wl,-L=/opt/lib)" -- cc -o app -Wl,-L=/opt/lib -lforge
record_library_path=prebuilt recorded library_path 1 "$forge_defines" -- cc -o app -lforge
record_compiler_path=/opt/bin recorded compiler_path 1 \
  "the link ran with COMPILER_PATH=/opt/bin set" -- cc -o app
# Linker scripts: one that lists an input by a relative name has that input read; one
# that includes another is refused.
printf '/* a group */\nINPUT ( libforge.a )\n' >"$work/prebuilt/libgrp.so"
printf 'INCLUDE other.ld\n' >"$work/prebuilt/libinc.so"
recorded script_input 1 "$forge_defines" -- cc -o app -Lprebuilt -lgrp
recorded script_include 1 "linker script that does more than list inputs (INCLUDE)" -- \
  cc -o app -Lprebuilt -linc
# A script in one directory naming a script in another: each one's relative names are
# looked up from its own place, and everywhere ld may look.
mkdir -p "$work/A" "$work/B"
cp "$work/prebuilt/libforge.a" "$work/A/libforge.a"
printf 'INPUT ( %s libforge.a )\n' "$work/B/libinner.so" >"$work/A/libouter.so"
printf 'INPUT ( libclean.a )\n' >"$work/B/libinner.so"
(cd "$work/B" && ar rcs libclean.a ../prebuilt/wrap.o)
recorded nested_scripts 1 "A/libforge.a defines tq_ctx_tenant" -- cc -o app A/libouter.so
# A shared object is known by its ELF type, not its name: a stripped one named like
# something else still has its dynamic symbols read.
cc ${CFLAGS:-} -shared -fPIC -o "$work/prebuilt/forge.plugin" "$src/prebuilt/forge.c"
strip "$work/prebuilt/forge.plugin"
recorded stripped_shared 1 "prebuilt/forge.plugin defines tq_ctx_tenant" -- \
  cc -o app prebuilt/forge.plugin
# A thin archive is read as an archive; a file of no known kind is a problem.
(cd "$work/prebuilt" && ar rcT libthin.a forge.o)
head -c 64 /dev/urandom >"$work/prebuilt/noise.bin"
recorded thin 1 "prebuilt/libthin.a defines tq_ctx_tenant" -- cc -o app prebuilt/libthin.a
recorded unknown 2 "cannot tell what linked file $work/prebuilt/noise.bin is" -- \
  cc -o app prebuilt/noise.bin
# Words that are an option's argument are not inputs; system libraries, and what other
# targets of the project built, are not read; a vendor file beside them is.
mkdir -p "$work/project" "$work/obj"
cp "$work/prebuilt/libforge.a" "$work/project/libkb.a"
cp "$work/prebuilt/libforge.a" "$work/project/libvendor.a"
recorded clean 0 -- cc -o app -Wl,-soname,libforge.a -u tq_ctx_tenant -Wl,-rpath,prebuilt \
  -Wl,-z,relro -Wl,-Ttext-segment=0x400000 -Wl,--retain-symbols-file,prebuilt/libforge.a \
  -pthread -lm "$work/project/libkb.a"
recorded vendor_in_project 1 "project/libvendor.a defines tq_ctx_tenant" -- \
  cc -o app "$work/project/libkb.a" "$work/project/libvendor.a"
# A record older than the target is an earlier link's.
printf '%s\n' "$work" LIBRARY_PATH= COMPILER_PATH= GCC_EXEC_PREFIX= cc -o app >"$work/stale.txt"
touch -d '2000-01-01' "$work/stale.txt"
rc=0
out=$(sh "$script" t "$work/obj" "$work" "$work" --link-line "$work/stale.txt" \
      --target-file "$work/build/plain" 2>&1) || rc=$?
[ "$rc" = 2 ] || fail "a stale record exits $rc, not 2: $out"
grep -q "is older than $work/build/plain" <<<"$out" || fail "a stale record is not named: $out"
# A build directory reached through a symbolic link: the target's generated object is
# still known as generated.
mkdir -p "$work/real/CMakeFiles/t.dir"
ln -sfn "$work/real" "$work/link"
cp "$work/prebuilt/raw.o" "$work/real/CMakeFiles/t.dir/gen.c.o"
printf '%s\n' "$work/real" LIBRARY_PATH= COMPILER_PATH= GCC_EXEC_PREFIX= cc -o app \
  CMakeFiles/t.dir/gen.c.o >"$work/symlink.txt"
rc=0
out=$(sh "$script" t "$work/link/CMakeFiles/t.dir" "$work/link" "$work/link" \
      --generated "$work/link/gen.c" --link-line "$work/symlink.txt" 2>&1) || rc=$?
[ "$rc" = 0 ] || fail "a generated object under a symbolic link was refused: $out"
echo "linkcheck: ok"
