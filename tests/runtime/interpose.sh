#!/bin/sh
# interpose.sh MAIN FORGED_MAIN FORGE_LIB: a function of libtenantq's replaced at run
# time is refused. MAIN makes a client (exit 0); under LD_PRELOAD=FORGE_LIB, which
# defines tq_ctx_tenant, it is refused with TQ_EVERIFY naming the function and the
# library; FORGED_MAIN, which defines tq_ctx_tenant itself, is refused naming itself.
set -u
main=$1
forged_main=$2
forge=$3
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

rc=0
out=$("$forged_main") || rc=$?
[ "$rc" = 3 ] || fail "a program defining tq_ctx_tenant: exit $rc, not 3: $out"
case $out in
*"tq_ctx_tenant is bound to $(readlink -f "$forged_main"), not to libtenantq"*) ;;
*) fail "a program defining tq_ctx_tenant is not named: $out" ;;
esac
echo "interpose: ok"
