# live_rewrite.sh: `tenantq-admin rewrite` applies a declared rename (`was`) to the
# tenant's stored points, idempotently, and leaves other tenants' points alone.
ADMIN=$1 FIXTURE=$2 DEVSERVER=$3 SRC=$4
. "$SRC/lib.sh"

start_server a
start_server b
write_registry '"initech": {"placement": "collection"},
"acme": {"placement": "shared"}'
admin onboard initech acme >/dev/null || fail "onboard"
"$FIXTURE" seed "$WORK/registry.json" initech 300 || fail "seed initech"
"$FIXTURE" seed "$WORK/registry.json" acme 40 || fail "seed acme"
# The next schema version renames docs.title to headline.
sed -e 's/schema adm version 1;/schema adm version 2;/' \
    -e 's/field title: keyword indexed;/field headline: keyword indexed was title;/' \
    "$SRC/adm.tqs" >"$WORK/adm_v2.tqs"
v2() { "$ADMIN" --schema "$WORK/adm_v2.tqs" --registry "$WORK/registry.json" "$@"; }

step "rewrite moves the old key to the new one for the tenant's points only"
expect_exit 0 v2 rewrite initech
grep -q "rewrote initech: 300 points" "$WORK/last.out" || fail "rewrite summary"
[ "$("$FIXTURE" rawhas "$URL_a" adm-docs--initech title)" = 0 ] || fail "title left behind"
[ "$("$FIXTURE" rawhas "$URL_a" adm-docs--initech headline)" = 300 ] || fail "headline missing"
[ "$("$FIXTURE" rawhas "$URL_a" adm-docs title)" = 40 ] || fail "acme's points were touched"
expect_count 300 "$URL_a" adm-docs--initech

step "run again: nothing to do; a shared tenant is rewritten in place"
expect_exit 0 v2 rewrite initech
grep -q "rewrote initech: 0 points" "$WORK/last.out" || fail "rewrite is not idempotent"
expect_exit 0 v2 rewrite acme
grep -q "rewrote acme: 40 points" "$WORK/last.out" || fail "acme summary"
[ "$("$FIXTURE" rawhas "$URL_a" adm-docs title)" = 0 ] || fail "acme title left"
[ "$("$FIXTURE" rawhas "$URL_a" adm-docs headline)" = 40 ] || fail "acme headline missing"

step "bad input"
expect_exit 1 v2 rewrite nobody
expect_exit 2 v2 rewrite
expect_exit 2 v2 rewrite --all
echo "PASS"
