#!/bin/sh
# misuse_test.sh: the generated API turns visible misuse into compile errors.
#   misuse_test.sh CC INCLUDE GOLDEN MISUSE_DIR
# well_formed.c must compile; short_vector.c (a 16-float array passed with
# KB_CHUNKS_DIM) and null_scope.c (a literal NULL scope) must not, and the compiler's
# message must name the reason.
set -u
CC=$1 INC=$2 GOLDEN=$3 DIR=$4
flags="-std=c11 -Wall -Wextra -Wpedantic -Werror -O2 -I$INC -I$GOLDEN -c -o /dev/null"
# (-c, not -fsyntax-only: gcc diagnoses -Wstringop-overread after parsing)
fail() { echo "FAIL: $*" >&2; exit 1; }
out=$($CC $flags "$DIR/well_formed.c" 2>&1) || { echo "$out" >&2; fail "$CC: well_formed.c does not compile"; }
if out=$($CC $flags "$DIR/short_vector.c" 2>&1); then fail "$CC accepted a 16-float array passed as KB_CHUNKS_DIM floats"; fi
echo "$out" | grep -Eq "fewer floats than vector_len|stringop-overread" || { echo "$out" >&2; fail "$CC refused short_vector.c for another reason"; }
if out=$($CC $flags "$DIR/null_scope.c" 2>&1); then fail "$CC accepted a literal NULL scope"; fi
echo "$out" | grep -Eq "nonnull|null passed to a callee|null where non-null" || { echo "$out" >&2; fail "$CC refused null_scope.c for another reason"; }
echo "ok: $CC"
