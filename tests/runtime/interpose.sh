#!/bin/sh
# interpose.sh MAIN FORGED_MAIN PLT_MAIN FORGE_LIB: a function of libtenantq's replaced
# at run time is refused. MAIN makes a client (exit 0); under LD_PRELOAD=FORGE_LIB,
# which defines tq_ctx_tenant, it is refused with TQ_EVERIFY naming the function and
# the library, whether the preload is named by an absolute or a relative path, and
# whatever name the program runs under; FORGED_MAIN, which defines tq_ctx_tenant
# itself, is refused naming itself. PLT_MAIN, non-PIE and holding the function's
# address (its own PLT entry stands for it), makes a client, and is refused under the
# preload.
set -u
main=$1
forged_main=$2
plt_main=$3
forge=$4
fail() { echo "interpose: FAIL: $*" >&2; exit 1; }
# An ASan runtime must otherwise come first among the loaded libraries.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS

out=$("$main") || fail "a clean program was refused: $out"
[ "$out" = made ] || fail "a clean program printed '$out'"

rc=0
out=$(LD_PRELOAD=$forge "$main") || rc=$?
[ "$rc" = 3 ] || fail "with $forge preloaded: exit $rc, not 3: $out"
case $out in
*"tq_ctx_tenant is bound to $forge, not to libtenantq"*"LD_PRELOAD"*"no client is made"*) ;;
*) fail "with $forge preloaded the refusal does not name the function and the library: $out" ;;
esac

# The preload by a relative path, the program started under another name.
rc=0
out=$(cd "$(dirname "$forge")" && LD_PRELOAD=./$(basename "$forge") \
      bash -c 'exec -a /usr/bin/true "$0"' "$main") || rc=$?
[ "$rc" = 3 ] || fail "a relative preload: exit $rc, not 3: $out"
case $out in
*"tq_ctx_tenant is bound to ./$(basename "$forge"), not to libtenantq"*) ;;
*) fail "a relative preload is not named: $out" ;;
esac

rc=0
out=$("$forged_main") || rc=$?
[ "$rc" = 3 ] || fail "a program defining tq_ctx_tenant: exit $rc, not 3: $out"
case $out in
*"tq_ctx_tenant is bound to the program itself, not to libtenantq"*) ;;
*) fail "a program defining tq_ctx_tenant is not named: $out" ;;
esac

out=$("$plt_main") || fail "a non-PIE program holding the function's address was refused: $out"
[ "$out" = made ] || fail "the non-PIE program printed '$out'"
rc=0
out=$(LD_PRELOAD=$forge "$plt_main") || rc=$?
[ "$rc" = 3 ] || fail "the non-PIE program with $forge preloaded: exit $rc, not 3: $out"
case $out in
*"tq_ctx_tenant is bound to $forge, not to libtenantq"*) ;;
*) fail "the non-PIE program's refusal does not name the library: $out" ;;
esac
echo "interpose: ok"
