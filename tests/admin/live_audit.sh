# live_audit.sh: `tenantq-admin audit` classifies every collection on every endpoint
# (managed, drifted, orphaned, stranded, foreign), counts shared points per tenant,
# flags tq_tenant values no registered tenant owns, and exits 0 only when all is well.
ADMIN=$1 FIXTURE=$2 DEVSERVER=$3 SRC=$4
. "$SRC/lib.sh"

start_server a
start_server b
registry() {
    write_registry "\"initech\": {\"placement\": \"$1\"},
\"acme\": {\"placement\": \"shared\"},
\"hooli\": {\"placement\": \"dedicated\", \"endpoint\": \"eu\"}$2"
}
registry collection ""
admin onboard initech acme hooli >/dev/null || fail "onboard"
for t in initech acme hooli; do "$FIXTURE" seed "$WORK/registry.json" $t 20 || fail "seed $t"; done

step "a clean deployment: all managed, exit 0"
expect_exit 0 admin audit
grep -q "managed   adm-docs--initech  tenant initech  20 points" "$WORK/last.out" || fail "initech line"
grep -q "managed   adm-docs--hooli  tenant hooli  20 points" "$WORK/last.out" || fail "hooli on eu"
grep -q "acme: 20 points" "$WORK/last.out" || fail "per-tenant count in shared"
grep -q "summary: 6 managed, 0 drifted, 0 orphaned, 0 stranded, 0 foreign; all managed" "$WORK/last.out" ||
    fail "summary"

step "stranded, orphaned, foreign, drifted and unowned values are all reported"
# initech's line is edited by hand: its old collection is stranded, and it now has
# points in the shared one.
registry shared ', "bare": {"placement": "collection"}, "old": {"placement": "collection"}'
admin onboard initech old >/dev/null || fail "onboard"
"$FIXTURE" seed "$WORK/registry.json" initech 2 || fail "seed"
"$FIXTURE" seed "$WORK/registry.json" old 3 || fail "seed old"
"$FIXTURE" rawput "$URL_a" adm-docs--bare || fail "bare collection"
"$FIXTURE" rawput "$URL_b" somebody-elses || fail "foreign collection"
"$FIXTURE" rawput "$URL_a" adm-notes ghost || fail "unowned point"
registry shared ', "bare": {"placement": "collection"}'
expect_exit 1 admin audit
out="$WORK/last.out"
grep -q "stranded  adm-docs--initech  tenant initech  20 points" "$out" || fail "stranded"
grep -q "orphaned  adm-docs--old  tenant old  3 points" "$out" || fail "orphaned"
grep -q "foreign   somebody-elses" "$out" || fail "foreign"
grep -q "drifted   adm-docs--bare  tenant bare" "$out" || fail "drifted"
grep -q 'drift: payload index "tq_tenant" (keyword) is missing' "$out" || fail "drift index"
grep -q 'drift: vector "v": the schema says 8 Cosine' "$out" || fail "drift vector"
grep -q "drift: fingerprint: none on the server" "$out" || fail "drift fingerprint"
grep -q 'flagged: 1 points with tq_tenant "ghost", which no registered tenant owns' "$out" ||
    fail "unowned flag"
grep -q "initech: 2 points" "$out" || fail "initech shared count"

step "--format json"
expect_exit 1 admin audit --format json
grep -q '"ok":	false' "$WORK/last.out" || fail "json ok flag"
grep -q '"class":	"stranded"' "$WORK/last.out" || fail "json class"
expect_exit 2 admin audit --format yaml
# Global options in either order; the schema list ends at the command.
expect_exit 1 "$ADMIN" --registry "$WORK/registry.json" --schema "$SRC/adm.tqs" audit --format json
grep -q '"ok":	false' "$WORK/last.out" || fail "options in another order"
expect_exit 2 "$ADMIN" --schema "$SRC/adm.tqs" audit
expect_exit 2 "$ADMIN" --registry "$WORK/registry.json" audit
expect_exit 2 admin --no-such-option audit

step "migrating and offboarding clear the findings they own"
expect_exit 0 admin offboard initech --report "$WORK/r.json"
grep -q "stranded" "$WORK/last.out" && fail "offboard output"
expect_exit 1 admin audit
grep -q "adm-docs--initech" "$WORK/last.out" && fail "the stranded collection is still listed"
step "reindex creates an index declared after onboarding; audit is then clean for it"
sed 's/field n: integer indexed;/field n: integer;/' "$SRC/adm.tqs" >"$WORK/adm_v0.tqs"
registry shared ', "bare": {"placement": "collection"}, "newco": {"placement": "collection"}'
"$ADMIN" --schema "$WORK/adm_v0.tqs" --registry "$WORK/registry.json" onboard newco >/dev/null ||
    fail "onboard with the older schema"
expect_exit 1 admin audit
grep -q 'drifted   adm-docs--newco' "$WORK/last.out" || fail "newco drifted"
grep -q 'drift: payload index "n" (integer) is missing' "$WORK/last.out" || fail "newco drift line"
grep -q 'drift: fingerprint: sha256:.* on the server; the schema.s is sha256:' "$WORK/last.out" ||
    fail "newco fingerprint drift"
expect_exit 0 admin reindex newco
grep -q 'reindex newco: adm-docs--newco: created index "n" (integer)$' "$WORK/last.out" ||
    fail "reindex line"
grep -q "reindex newco: adm-docs--newco: stamped the schema's fingerprint" "$WORK/last.out" ||
    fail "reindex fingerprint line"
expect_exit 0 admin reindex newco
grep -q 'reindex: 0 indexes created' "$WORK/last.out" || fail "reindex is idempotent"
expect_exit 1 admin audit
grep -q 'managed   adm-docs--newco' "$WORK/last.out" || fail "newco managed after reindex"
expect_exit 1 admin reindex bare
grep -q 'cannot fix by indexing: vector' "$WORK/last.out" || fail "vector drift reported"
expect_exit 1 admin reindex nobody
echo "PASS"
