# live_offboard.sh: the stranded-data scenario of the offboard sweep, and the erasure
# report.
#
# A tenant is moved the wrong way: its registry line is edited by hand, which strands
# its points in its old collection. Offboarding (the generated adm_offboard_tenant and
# `tenantq-admin offboard`) must still erase them, on every endpoint, without touching
# other tenants, and say "verified" only when every place is empty.
ADMIN=$1 FIXTURE=$2 DEVSERVER=$3 SRC=$4
. "$SRC/lib.sh"

start_server a
start_server b
placed_at() {
    write_registry "\"initech\": {\"placement\": \"$1\"},
\"acme\": {\"placement\": \"shared\"},
\"globex\": {\"placement\": \"collection\"}"
}

step "generated offboard: seven points stranded in the old collection are erased"
placed_at collection
admin onboard initech acme globex >/dev/null || fail "onboard"
"$FIXTURE" seed "$WORK/registry.json" initech 7 || fail "seed initech"
"$FIXTURE" seed "$WORK/registry.json" acme 5 || fail "seed acme"
"$FIXTURE" seed "$WORK/registry.json" globex 4 || fail "seed globex"
expect_count 7 "$URL_a" adm-docs--initech
# The "one line" change the design doc used to suggest: data stays behind.
placed_at shared
admin onboard initech >/dev/null || fail "onboard in shared"
"$FIXTURE" seed "$WORK/registry.json" initech 2 || fail "seed initech in shared"
expect_count 7 "$URL_a" adm-docs--initech
expect_count 2 "$URL_a" adm-docs initech
# A copy on the second endpoint too (a dedicated placement it once had).
placed_at dedicated
sed -i 's/"initech": {"placement": "dedicated"}/"initech": {"placement": "dedicated", "endpoint": "eu"}/' "$WORK/registry.json"
admin onboard initech >/dev/null || fail "onboard dedicated"
"$FIXTURE" seed "$WORK/registry.json" initech 3 || fail "seed initech dedicated"
expect_count 3 "$URL_b" adm-docs--initech
placed_at shared
expect_exit 0 "$FIXTURE" offboard "$WORK/registry.json" initech
expect_count absent "$URL_a" adm-docs--initech
expect_count absent "$URL_a" adm-notes--initech
expect_count absent "$URL_b" adm-docs--initech
expect_count 0 "$URL_a" adm-docs initech
expect_count 5 "$URL_a" adm-docs acme
"$FIXTURE" check "$WORK/registry.json" acme 5 || fail "acme damaged"
"$FIXTURE" check "$WORK/registry.json" globex 4 || fail "globex damaged"

step "tenantq-admin offboard: the same scenario, with an erasure report"
placed_at collection
admin onboard initech >/dev/null || fail "onboard"
"$FIXTURE" seed "$WORK/registry.json" initech 7 || fail "seed"
placed_at shared
admin onboard initech >/dev/null || fail "onboard shared"
"$FIXTURE" seed "$WORK/registry.json" initech 2 || fail "seed shared"
expect_exit 0 admin offboard initech --report "$WORK/report.json"
grep -q "offboarded initech: 15 points deleted from 4 places on 2 endpoints; verified 0 remain" "$WORK/last.out" || fail "summary line"
got=$("$FIXTURE" report "$WORK/report.json") || fail "report seal"
# 7 docs and 3 notes stranded in own collections, 2 docs and 3 notes in shared ones.
[ "$got" = "15 15 0 verified" ] || fail "report totals: $got"
grep -q '"collection":	"adm-docs--initech"' "$WORK/report.json" || fail "report lists the stranded collection"
grep -q '"kind":	"shared"' "$WORK/report.json" || fail "report lists the shared collection"
grep -q '"tenantq_version":	"0.1.0"' "$WORK/report.json" || fail "report version"
expect_count absent "$URL_a" adm-docs--initech
expect_count 0 "$URL_a" adm-docs initech
expect_count 5 "$URL_a" adm-docs acme

step "a tampered report no longer matches its seal"
sed 's/"points_found":	15/"points_found":	14/' "$WORK/report.json" >"$WORK/tampered.json"
expect_exit 1 "$FIXTURE" report "$WORK/tampered.json"

step "offboard again is idempotent: nothing found, verified"
expect_exit 0 admin offboard initech --report "$WORK/report2.json"
got=$("$FIXTURE" report "$WORK/report2.json") || fail "report2 seal"
[ "$got" = "0 0 0 verified" ] || fail "report2 totals: $got"

step "an unreachable endpoint: exit 1, the report says unverified"
admin onboard globex >/dev/null
sed -i "s|$URL_b|http://127.0.0.1:9|" "$WORK/registry.json"
expect_exit 1 admin offboard globex --report "$WORK/report3.json"
grep -q "endpoint" "$WORK/last.err" || fail "error names the endpoint"
got=$("$FIXTURE" report "$WORK/report3.json") || fail "report3 seal"
case "$got" in *unverified) ;; *) fail "report3 must be unverified: $got" ;; esac

step "bad input: unknown tenant (1), usage (2)"
expect_exit 1 admin offboard nobody --report "$WORK/r.json"
grep -q 'tenant "nobody" is not in the registry' "$WORK/last.err" || fail "unknown tenant message"
[ -e "$WORK/r.json" ] && fail "a report was written for an unknown tenant"
expect_exit 1 admin offboard acme --unregistered --report "$WORK/r.json"
expect_exit 1 admin offboard Bad_Id --unregistered --report "$WORK/r.json"
expect_exit 2 admin offboard initech
expect_exit 2 admin frobnicate
step "a tenant removed from the registry: --unregistered erases what it left"
sed -i "s|http://127.0.0.1:9|$URL_b|" "$WORK/registry.json"
admin onboard globex >/dev/null && "$FIXTURE" seed "$WORK/registry.json" globex 4 >/dev/null || fail "seed globex"
sed -i '/"globex"/d; s/"acme": {"placement": "shared"},/"acme": {"placement": "shared"}/' "$WORK/registry.json"
expect_count 4 "$URL_a" adm-docs--globex
expect_exit 0 admin offboard globex --unregistered --report "$WORK/report4.json"
grep -q "not in the registry" "$WORK/last.err" || fail "unregistered notice"
got=$("$FIXTURE" report "$WORK/report4.json") || fail "report4 seal"
[ "$got" = "7 7 0 verified" ] || fail "report4 totals: $got"
grep -q '"registered":	false' "$WORK/report4.json" || fail "report4 registered flag"
expect_count absent "$URL_a" adm-docs--globex
echo "PASS"
