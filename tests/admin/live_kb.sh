# live_kb.sh: the issue's scenario with the kb-assistant example itself.
#
# A tenant's registry line is changed by hand from "collection" to "shared" (the
# "one line" the design doc used to suggest). Its chunks stay in its old collection.
# `kb offboard` must erase them too, and say "verified" only when nothing remains
# anywhere. Then the same move done properly: `tenantq-admin migrate` (the target has
# the schema's BM25 sparse vector, the points keep theirs), and `audit` and `reindex`
# find nothing to fix.
ADMIN=$1 FIXTURE=$2 DEVSERVER=$3 SRC=$4 KB=$5 KBDIR=$6
. "$SRC/lib.sh"

start_server a
start_server b
write_registry '"acorn": {"placement": "collection"},
"cobalt": {"placement": "shared"}'
kb() { "$KB" --registry "$WORK/registry.json" "$@"; }
kbadmin() { "$ADMIN" --schema "$KBDIR/kb.tqs" --registry "$WORK/registry.json" "$@"; }
cd "$KBDIR" || fail "no example directory"

step "acorn ingests in its own collection, then its line is edited by hand"
kb onboard acorn >/dev/null && kb onboard cobalt >/dev/null || fail "onboard"
kb ingest acorn support corpus/acorn/support/* >/dev/null || fail "ingest acorn"
kb ingest cobalt support corpus/cobalt/support/* >/dev/null || fail "ingest cobalt"
stranded=$(count "$URL_a" kb-chunks--acorn)
[ "$stranded" -gt 0 ] || fail "no chunks in kb-chunks--acorn"
cobalt=$(count "$URL_a" kb-chunks cobalt)
sed -i 's/"acorn": {"placement": "collection"}/"acorn": {"placement": "shared"}/' "$WORK/registry.json"
kb onboard acorn >/dev/null || fail "onboard shared"
kb ingest acorn sales corpus/acorn/sales/* >/dev/null || fail "ingest acorn in shared"
expect_count "$stranded" "$URL_a" kb-chunks--acorn
expect_exit 1 kbadmin audit
grep -q "stranded  kb-chunks--acorn  tenant acorn  $stranded points" "$WORK/last.out" ||
    fail "audit does not report the stranded collection"

step "kb offboard erases the stranded chunks too, then says verified"
expect_exit 0 kb offboard acorn
grep -q "verified 0 chunks remain" "$WORK/last.out" || fail "kb offboard summary"
expect_count absent "$URL_a" kb-chunks--acorn
expect_count 0 "$URL_a" kb-chunks acorn
expect_count "$cobalt" "$URL_a" kb-chunks cobalt

step "the same move done with tenantq-admin migrate"
sed -i 's/"acorn": {"placement": "shared"}/"acorn": {"placement": "collection"}/' "$WORK/registry.json"
kb onboard acorn >/dev/null || fail "onboard again"
kb ingest acorn support corpus/acorn/support/* >/dev/null || fail "ingest again"
before=$(count "$URL_a" kb-chunks--acorn)
expect_exit 0 kbadmin migrate acorn --to dedicated --endpoint eu
expect_count absent "$URL_a" kb-chunks--acorn
expect_count "$before" "$URL_b" kb-chunks--acorn
kb sources acorn support >"$WORK/sources" 2>&1 || fail "kb sources after migrate: $(cat "$WORK/sources")"
[ -s "$WORK/sources" ] || fail "kb lists no sources after the migration"
# The target has the BM25 sparse vector and the copied points carry it: a text-only
# ask (sparse candidates alone) still finds the signing-in guide.
kb ask acorn support "password" --mode text --limit 3 >"$WORK/ask" 2>&1 ||
    fail "kb ask --mode text after migrate: $(cat "$WORK/ask")"
grep -q "account-access.md" "$WORK/ask" || fail "BM25 ask finds nothing after migrate: $(cat "$WORK/ask")"
expect_exit 0 kbadmin audit
expect_exit 0 kbadmin reindex
grep -q "reindex: 0 indexes created, 0 differences" "$WORK/last.out" ||
    fail "reindex finds differences on the migrated collection: $(cat "$WORK/last.out")"
expect_exit 0 kb offboard acorn
expect_count absent "$URL_b" kb-chunks--acorn
echo "PASS"
