# live_tiered.sh: the tiered placement end to end over two cluster-mode devservers:
# onboarding (custom sharding, the "default" shard key), the promotion of a tenant in
# the fallback shard with replicate_points, every ordered pair of placements with
# tiered on one side, the application reading everything through the generated client
# after each move, other tenants (promoted and not) untouched, audit's shard keys and
# flags, offboard erasing the tenant's shard key, and bad input.
ADMIN=$1 FIXTURE=$2 DEVSERVER=$3 SRC=$4
. "$SRC/lib.sh"

start_server a --cluster-mode
start_server b --cluster-mode
write_registry '"acme": {"placement": "tiered"},
"globex": {"placement": "tiered"},
"umbrella": {"placement": "shared"},
"initech": {"placement": "collection"}'
N=300
admin onboard acme globex umbrella initech >/dev/null || fail "onboard"
"$FIXTURE" seed "$WORK/registry.json" acme 120 || fail "seed acme"
"$FIXTURE" seed "$WORK/registry.json" globex 40 || fail "seed globex"
"$FIXTURE" seed "$WORK/registry.json" umbrella 30 || fail "seed umbrella"
"$FIXTURE" seed "$WORK/registry.json" initech $N || fail "seed initech"

# shard TENANT KEY: the tenant's docs in one shard key of the tiered collection.
shard() { count "$URL_a" adm-docs-tiered "$1" "$2"; }
others_intact() {
    "$FIXTURE" check "$WORK/registry.json" globex 40 || fail "globex damaged"
    "$FIXTURE" check "$WORK/registry.json" umbrella 30 || fail "umbrella damaged"
}

step "onboarding a tiered tenant: custom sharding, a default shard key, tenants in it"
[ "$(shard acme default)" = 120 ] || fail "acme in default: $(shard acme default)"
[ "$(shard globex default)" = 40 ] || fail "globex in default: $(shard globex default)"
[ "$(shard acme acme)" = absent ] || fail "acme has a shard key before its promotion"

step "promotion in place: acme gets its own shard key by replicate_points"
expect_exit 0 admin migrate acme --to tiered
grep -q "promoted acme: 123 points replicated" "$WORK/last.out" || fail "promotion summary"
[ "$(shard acme acme)" = 120 ] || fail "acme's own shard key: $(shard acme acme)"
[ "$(shard acme default)" = 0 ] || fail "acme left in default: $(shard acme default)"
[ "$(shard - acme)" = 120 ] || fail "acme's shard key holds other points"
grep -qF '"acme": {"placement": "tiered"}' "$WORK/registry.json" || fail "registry changed"
[ -e "$WORK/registry.json.journal" ] && fail "journal left behind"
"$FIXTURE" check "$WORK/registry.json" acme 120 || fail "acme not intact after promotion"
others_intact
# The promoted tenant keeps writing and reading through the same selector.
"$FIXTURE" seed "$WORK/registry.json" acme 120 || fail "acme writes after promotion"
[ "$(shard acme acme) $(shard acme default)" = "120 0" ] || fail "writes after promotion"
expect_exit 0 admin migrate acme --to tiered
grep -q "nothing to do" "$WORK/last.out" || fail "a promoted tenant is promoted again"

step "adversarial reads between a promoted tenant and one in the default shard"
"$FIXTURE" attack "$WORK/registry.json" acme 120 globex 40 || fail "acme reached globex"
"$FIXTURE" attack "$WORK/registry.json" globex 40 acme 120 || fail "globex reached acme"

step "every ordered pair with tiered: collection -> tiered -> shared -> tiered -> dedicated -> tiered -> collection"
for move in tiered shared tiered "dedicated eu" tiered collection; do
    set -- $move
    move_to initech "$move" --batch 64
    grep -q "migrated initech: .* $((N + 3)) points copied and verified" "$WORK/last.out" ||
        fail "summary line"
    own=$(shard initech initech) fb=$(shard initech default)
    coll=$(count "$URL_a" adm-docs--initech) sh=$(count "$URL_a" adm-docs initech)
    ded=$(count "$URL_b" adm-docs--initech)
    case $1 in
    tiered) want="$N 0 absent 0 absent" ;;
    shared) want="absent 0 absent $N absent" ;;
    dedicated) want="absent 0 absent 0 $N" ;;
    collection) want="absent 0 $N 0 absent" ;;
    esac
    [ "$own $fb $coll $sh $ded" = "$want" ] ||
        fail "after --to $move: [$own $fb $coll $sh $ded], expected [$want]"
    grep -qF "\"initech\": {\"placement\": \"$1\"" "$WORK/registry.json" || fail "registry line"
    "$FIXTURE" check "$WORK/registry.json" initech $N || fail "initech not intact after $move"
    "$FIXTURE" attack "$WORK/registry.json" initech $N globex 40 || fail "initech reached globex"
    "$FIXTURE" attack "$WORK/registry.json" globex 40 initech $N || fail "globex reached initech"
    "$FIXTURE" check "$WORK/registry.json" acme 120 || fail "acme damaged by $move"
    others_intact
done

step "audit: tiered collections with per-tenant and per-shard-key counts"
expect_exit 0 admin audit
grep -q "managed   adm-docs-tiered" "$WORK/last.out" || fail "tiered collection not managed"
grep -q "shard key acme: 120 points" "$WORK/last.out" || fail "shard key count"
grep -q "shard key default: 40 points" "$WORK/last.out" || fail "default shard count"
expect_exit 0 admin audit --format json
grep -q '"tiered":[[:space:]]*"true"' "$WORK/last.out" || fail "json tiered flag"

step "audit flags: a shard key of a tenant placed elsewhere, points left in default"
# acme moves to shared: its shard key goes with it. Then a stray key is made by hand.
expect_exit 0 admin migrate acme --to shared
[ "$(shard acme acme)" = absent ] || fail "acme's shard key survived its move out"
"$FIXTURE" check "$WORK/registry.json" acme 120 || fail "acme after leaving tiered"
"$FIXTURE" rawshard "$URL_a" adm-docs-tiered umbrella || fail "rawshard"
expect_exit 1 admin audit
grep -q "shard key \"umbrella\" (0 points) of a tenant whose placement is elsewhere" \
    "$WORK/last.out" || fail "stray shard key not flagged"
expect_exit 0 admin offboard umbrella --report "$WORK/umbrella.json"
[ "$(count "$URL_a" adm-docs-tiered - umbrella)" = absent ] || fail "offboard left the key"
expect_exit 0 admin migrate acme --to tiered
expect_exit 0 admin audit

step "offboard a promoted tenant: its points and its shard key, with the report"
expect_exit 0 admin offboard acme --report "$WORK/acme.json"
[ "$("$FIXTURE" report "$WORK/acme.json")" = "123 123 0 verified" ] ||
    fail "acme report: $("$FIXTURE" report "$WORK/acme.json")"
grep -q '"kind":	"tiered"' "$WORK/acme.json" || fail "report kind"
[ "$(shard acme acme)" = absent ] || fail "acme's shard key not erased"
[ "$(count "$URL_a" adm-docs-tiered acme)" = 0 ] || fail "acme's points remain"
"$FIXTURE" check "$WORK/registry.json" globex 40 || fail "globex damaged by offboard"

step "bad input"
expect_exit 1 admin migrate globex --to tiered --endpoint eu
grep -q "only the dedicated placement" "$WORK/last.err" || fail "endpoint message"
expect_exit 1 admin migrate globex --to tierd
grep -q "collection, shared, dedicated or tiered" "$WORK/last.err" || fail "placement list"
expect_exit 2 admin migrate globex --to
# A server without cluster mode refuses shard keys: a clear error, exit 1.
start_server c
sed "s#$URL_a#$URL_c#" "$WORK/registry.json" >"$WORK/standalone.json"
"$ADMIN" --schema "$SRC/adm.tqs" --registry "$WORK/standalone.json" onboard globex \
    >"$WORK/sa.out" 2>"$WORK/sa.err" && fail "onboard tiered on a standalone server"
grep -q "standalone mode" "$WORK/sa.err" || fail "standalone message: $(cat "$WORK/sa.err")"
# A registry naming the tiered placement wrongly is refused with the allowed values.
sed 's/"globex": {"placement": "tiered"}/"globex": {"placement": "tiers"}/' \
    "$WORK/registry.json" >"$WORK/bad.json"
"$ADMIN" --schema "$SRC/adm.tqs" --registry "$WORK/bad.json" audit >"$WORK/bad.out" \
    2>"$WORK/bad.err" && fail "a bad placement accepted"
grep -q '"dedicated" or "tiered"' "$WORK/bad.err" || fail "registry message: $(cat "$WORK/bad.err")"
echo "PASS"
