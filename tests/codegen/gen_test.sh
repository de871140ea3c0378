#!/bin/sh
# gen_test.sh: tenantq-gen tests driven from ctest (see CMakeLists.txt).
#   gen_test.sh GEN SRC WORK golden NAME   output equals tests/codegen/golden/NAME/*
#   gen_test.sh GEN SRC WORK determinism   two working directories, identical bytes
#   gen_test.sh GEN SRC WORK check         --check passes, then catches one-byte edits
#   gen_test.sh GEN SRC WORK cli           exit codes, help, version, write-if-changed
# GEN is the generator, SRC the project root, WORK a scratch directory of this test.
set -u
GEN=$1 SRC=$2 WORK=$3 MODE=$4
KB=tests/codegen/schemas/kb.tqs

fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$WORK" && mkdir -p "$WORK" || fail "cannot create $WORK"

case "$MODE" in
golden)
    NAME=$5
    (cd "$SRC" && "$GEN" --probe -o "$WORK" "tests/codegen/schemas/$NAME.tqs") 2>"$WORK/stderr" ||
        { cat "$WORK/stderr" >&2; fail "tenantq-gen failed on $NAME.tqs"; }
    for ext in tq.h tq.c tq.json tq.probe.c; do
        diff -u "$SRC/tests/codegen/golden/$NAME/$NAME.$ext" "$WORK/$NAME.$ext" ||
            fail "$NAME.$ext differs from the golden file (regenerate with the codegen-golden target if intended)"
    done
    ;;
determinism)
    mkdir -p "$WORK/a/deep/er" "$WORK/b" "$WORK/out1" "$WORK/out2"
    (cd "$WORK/a/deep/er" && "$GEN" --probe -o "$WORK/out1" "$SRC/$KB") || fail "run 1"
    (cd "$WORK/b" && "$GEN" --probe -o "$WORK/out2" "$SRC/$KB") || fail "run 2"
    for f in kb.tq.h kb.tq.c kb.tq.json kb.tq.probe.c; do
        cmp "$WORK/out1/$f" "$WORK/out2/$f" || fail "$f differs between working directories"
        if grep -q "$SRC" "$WORK/out1/$f"; then fail "$f contains the absolute path $SRC"; fi
    done
    head -n 2 "$WORK/out1/kb.tq.h" | grep -q "^// source: $KB sha256:[0-9a-f]\{64\}\$" ||
        fail "banner does not name $KB relative to the repository"
    # Same bytes from a relative path given from the repository root.
    (cd "$SRC" && "$GEN" -o "$WORK/b" "$KB") || fail "run 3"
    cmp "$WORK/out1/kb.tq.c" "$WORK/b/kb.tq.c" || fail "relative and absolute paths differ"
    ;;
check)
    (cd "$SRC" && "$GEN" --probe -o "$WORK" "$KB") || fail "generate"
    (cd "$SRC" && "$GEN" --check --probe -o "$WORK" "$KB") || fail "--check failed on fresh output"
    for f in kb.tq.c kb.tq.h kb.tq.json kb.tq.probe.c; do
        cp "$WORK/$f" "$WORK/$f.orig"
        # Flip one byte in the middle of the file.
        size=$(wc -c <"$WORK/$f")
        offset=$((size / 2))
        byte=$(dd if="$WORK/$f" bs=1 skip=$offset count=1 2>/dev/null)
        if [ "$byte" = "x" ]; then repl=y; else repl=x; fi
        printf '%s' "$repl" | dd of="$WORK/$f" bs=1 seek=$offset conv=notrunc 2>/dev/null
        cmp -s "$WORK/$f" "$WORK/$f.orig" && fail "edit of $f did not change it"
        (cd "$SRC" && "$GEN" --check --probe -o "$WORK" "$KB") 2>"$WORK/stderr"
        rc=$?
        [ $rc -eq 1 ] || fail "--check exited $rc after editing $f (want 1)"
        grep -q "$f: error:" "$WORK/stderr" || { cat "$WORK/stderr" >&2; fail "--check did not name $f"; }
        [ "$(grep -c ': error:' "$WORK/stderr")" -eq 1 ] || fail "--check named other files too"
        cmp -s "$WORK/$f" "$WORK/$f.orig" && fail "--check rewrote $f"
        mv "$WORK/$f.orig" "$WORK/$f"
    done
    rm "$WORK/kb.tq.h"
    (cd "$SRC" && "$GEN" --check --probe -o "$WORK" "$KB") 2>/dev/null
    [ $? -eq 1 ] || fail "--check passed with kb.tq.h missing"
    [ -e "$WORK/kb.tq.h" ] && fail "--check wrote kb.tq.h"
    ;;
cli)
    "$GEN" --version | grep -q '^tenantq-gen [0-9]' || fail "--version"
    "$GEN" --help | grep -q '^usage: tenantq-gen' || fail "--help"
    "$GEN" >/dev/null 2>&1; [ $? -eq 2 ] || fail "no argument should exit 2"
    "$GEN" --bogus "$SRC/$KB" >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option should exit 2"
    "$GEN" -o "$WORK" "$WORK/missing.tqs" >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing schema should exit 2"
    "$GEN" -o "$WORK/no/such/dir" "$SRC/$KB" >/dev/null 2>&1; [ $? -eq 2 ] || fail "unwritable outdir should exit 2"
    printf 'schema bad version 1;\ncollection c { vector v dim 0 distance Dot; ops get; }\n' >"$WORK/bad.tqs"
    (cd "$WORK" && "$GEN" -o . bad.tqs) 2>"$WORK/stderr"; rc=$?
    [ $rc -eq 1 ] || fail "schema error should exit 1, got $rc"
    grep -q '^bad.tqs:2:29: error: vector dimension 0 is out of range 1..65536$' "$WORK/stderr" ||
        { cat "$WORK/stderr" >&2; fail "diagnostic format"; }
    [ -e "$WORK/bad.tq.h" ] && fail "files written for an invalid schema"
    # Unchanged output is not rewritten (same inode), changed output is replaced.
    "$GEN" -o "$WORK" "$SRC/$KB" || fail "generate"
    before=$(ls -i "$WORK/kb.tq.c" | cut -d' ' -f1)
    "$GEN" -o "$WORK" "$SRC/$KB" || fail "regenerate"
    after=$(ls -i "$WORK/kb.tq.c" | cut -d' ' -f1)
    [ "$before" = "$after" ] || fail "unchanged kb.tq.c was rewritten"
    echo "// edited" >>"$WORK/kb.tq.c"
    "$GEN" -o "$WORK" "$SRC/$KB" || fail "regenerate after edit"
    "$GEN" --check -o "$WORK" "$SRC/$KB" || fail "edit not repaired"
    ls -a "$WORK" | grep -q '^\.kb' && fail "temporary file left behind"
    # A schema larger than the reader's first buffer (comments make up the bulk).
    { awk 'BEGIN { for (i = 0; i < 600; i++) print "# padding line " i " ................" }'
      cat "$SRC/$KB"; } >"$WORK/big.tqs"
    mkdir -p "$WORK/big"
    "$GEN" -o "$WORK/big" "$WORK/big.tqs" || fail "large schema"
    [ "$(wc -c <"$WORK/big.tqs")" -gt 20000 ] || fail "large schema is not large"
    # Two schemas whose C names collide (kb + chunks_upsert vs kb_chunks + upsert).
    printf 'schema kb version 1;\ncollection chunks_upsert { vector v dim 2 distance Dot; ops get; }\n' >"$WORK/one.tqs"
    printf 'schema kb_chunks version 1;\ncollection upsert { vector v dim 2 distance Dot; ops get; }\n' >"$WORK/two.tqs"
    mkdir -p "$WORK/pair"
    (cd "$WORK" && "$GEN" -o pair one.tqs two.tqs) 2>"$WORK/stderr"; rc=$?
    [ $rc -eq 1 ] || fail "colliding schemas should exit 1, got $rc"
    grep -q "^two.tqs:1:8: error: schema 'kb_chunks' generates the C name 'KB_CHUNKS_UPSERT_DIM', as one.tqs does in this run\$" "$WORK/stderr" ||
        { cat "$WORK/stderr" >&2; fail "collision between schemas not reported"; }
    [ -e "$WORK/pair/kb_chunks.tq.h" ] && fail "colliding schema generated"
    (cd "$WORK" && "$GEN" -o pair one.tqs one.tqs) 2>/dev/null; [ $? -eq 1 ] || fail "same schema twice should exit 1"
    # Two schemas in one run, one of them invalid: the valid one is still generated.
    rm -f "$WORK/kb.tq.h"
    "$GEN" -o "$WORK" "$WORK/bad.tqs" "$SRC/$KB" 2>/dev/null; rc=$?
    [ $rc -eq 1 ] || fail "mixed run should exit 1, got $rc"
    [ -e "$WORK/kb.tq.h" ] || fail "valid schema not generated in a mixed run"
    ;;
*)
    fail "unknown mode $MODE"
    ;;
esac
exit 0
