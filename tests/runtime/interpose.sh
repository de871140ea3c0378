#!/bin/sh
# interpose.sh MAIN FORGED_MAIN PLT_MAIN FORGE_LIB FORGE_HIDDEN STATIC_MAIN: a function of libtenantq's replaced
# at run time is refused. MAIN makes a client (exit 0); under LD_PRELOAD=FORGE_LIB,
# which defines tq_ctx_tenant, it is refused with TQ_EVERIFY naming the function and
# the library, whether the preload is named by an absolute or a relative path, and
# whatever name the program runs under; FORGED_MAIN, which defines tq_ctx_tenant
# itself, is refused naming itself. PLT_MAIN, non-PIE and holding the function's
# address (its own PLT entry stands for it), makes a client, and is refused under the
# preload. FORGE_HIDDEN defines tq_ctx_tenant under a hidden symbol version, which
# dlsym does not report: it is refused all the same. STATIC_MAIN, non-PIE with the
# runtime linked in statically and its symbols exported, makes a client.
set -u
main=$1
forged_main=$2
plt_main=$3
forge=$4
forge_hidden=$5
static_main=$6
fail() { echo "interpose: FAIL: $*" >&2; exit 1; }
# An ASan runtime must otherwise come first among the loaded libraries.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS

# made WHAT COMMAND...: the command makes its client.
made() {
    what=$1
    shift
    out=$("$@") || fail "$what was refused: $out"
    [ "$out" = made ] || fail "$what printed '$out'"
}
# refused WHAT TEXT COMMAND...: the command exits 3 (TQ_EVERIFY) and prints TEXT.
refused() {
    what=$1
    text=$2
    shift 2
    rc=0
    out=$("$@") || rc=$?
    [ "$rc" = 3 ] || fail "$what: exit $rc, not 3: $out"
    case $out in
    *"$text"*) ;;
    *) fail "$what: the refusal does not say '$text': $out" ;;
    esac
}

made "a clean program" "$main"
refused "the library preloaded" \
    "tq_ctx_tenant is bound to $forge, not to libtenantq" env LD_PRELOAD="$forge" "$main"
refused "the refusal" "(LD_PRELOAD) or the program itself replaces the runtime's own function; no client is made" \
    env LD_PRELOAD="$forge" "$main"
# The preload by a relative path, the program started under another name.
refused "a relative preload" "tq_ctx_tenant is bound to ./$(basename "$forge"), not to libtenantq" \
    sh -c 'cd "$(dirname "$1")" && LD_PRELOAD=./$(basename "$1") exec bash -c '"'"'exec -a /usr/bin/true "$0"'"'"' "$2"' \
    sh "$forge" "$main"
refused "a program defining tq_ctx_tenant" \
    "tq_ctx_tenant is bound to the program itself, not to libtenantq" "$forged_main"
made "a non-PIE program holding the function's address" "$plt_main"
refused "the non-PIE program with the library preloaded" \
    "tq_ctx_tenant is bound to $forge, not to libtenantq" env LD_PRELOAD="$forge" "$plt_main"
refused "a library defining the function under a hidden version" \
    "tq_ctx_tenant is defined by $forge_hidden as well as by libtenantq" \
    env LD_PRELOAD="$forge_hidden" "$main"
made "a non-PIE program with the runtime linked in and exported" "$static_main"
echo "interpose: ok"
