# live_migrate.sh: `tenantq-admin migrate` between every pair of placements over two
# devservers, with the tenant's data checked through the generated client after each
# move, the other tenants untouched, and every point in exactly one place.
ADMIN=$1 FIXTURE=$2 DEVSERVER=$3 SRC=$4
. "$SRC/lib.sh"

start_server a
start_server b
write_registry '"acme": {"placement": "shared"},
"initech": {"placement": "collection"},
"globex": {"placement": "collection"}'
N=600
admin onboard acme initech globex >/dev/null || fail "onboard"
"$FIXTURE" seed "$WORK/registry.json" initech $N || fail "seed initech"
"$FIXTURE" seed "$WORK/registry.json" acme 50 || fail "seed acme"
"$FIXTURE" seed "$WORK/registry.json" globex 40 || fail "seed globex"

# where: the tenant's doc counts in every place, "a-own a-shared b-own".
where() {
    echo "$(count "$URL_a" adm-docs--initech) $(count "$URL_a" adm-docs initech) $(count "$URL_b" adm-docs--initech)"
}
expect_where() {
    got=$(where)
    [ "$got" = "$1" ] || fail "initech docs are at [$got], expected [$1]"
}
others_intact() {
    "$FIXTURE" check "$WORK/registry.json" acme 50 || fail "acme damaged"
    "$FIXTURE" check "$WORK/registry.json" globex 40 || fail "globex damaged"
}

expect_where "$N 0 absent"
# Every ordered pair of placements: collection -> shared -> dedicated -> collection
# -> dedicated -> shared -> collection.
for move in "shared" "dedicated eu" "collection" "dedicated eu" "shared" "collection"; do
    set -- $move
    step "migrate initech --to $1${2:+ --endpoint $2}"
    move_to initech "$move" --batch 64
    grep -q "migrated initech: .* $((N + 3)) points copied and verified" "$WORK/last.out" ||
        fail "summary line"
    grep -q "copy: $((N + 3)) points in" "$WORK/last.err" || fail "progress lines"
    case $1 in
    shared) expect_where "absent $N absent"; want="\"initech\": {\"placement\": \"shared\"}" ;;
    dedicated) expect_where "absent 0 $N"; want="\"initech\": {\"placement\": \"dedicated\", \"endpoint\": \"eu\"}" ;;
    collection) expect_where "$N 0 absent"; want="\"initech\": {\"placement\": \"collection\"}" ;;
    esac
    grep -qF "$want" "$WORK/registry.json" || fail "registry line: $(cat "$WORK/registry.json")"
    [ -e "$WORK/registry.json.journal" ] && fail "journal left behind"
    "$FIXTURE" check "$WORK/registry.json" initech $N || fail "initech not intact after $move"
    others_intact
done
# The rest of the registry is byte-identical to what it was.
grep -q '"acme": {"placement": "shared"},' "$WORK/registry.json" || fail "other lines changed"

step "on a terminal the progress is a redrawn bar (script(1) provides the terminal)"
script -qec "$ADMIN --schema $SRC/adm.tqs --registry $WORK/registry.json migrate initech --to shared --batch 64" \
    /dev/null >"$WORK/tty.out" 2>&1 || fail "migrate on a terminal: $(cat "$WORK/tty.out")"
grep -q "copy \[##############################\] 100% $((N + 3))/$((N + 3))" "$WORK/tty.out" ||
    fail "no progress bar: $(cat "$WORK/tty.out")"
grep -q "^copy: [0-9]*/" "$WORK/tty.out" && fail "plain progress lines on a terminal"
expect_exit 0 admin migrate initech --to collection
"$FIXTURE" check "$WORK/registry.json" initech $N || fail "initech after the terminal run"

step "already there: nothing to do"
expect_exit 0 admin migrate initech --to collection
grep -q "nothing to do" "$WORK/last.out" || fail "nothing-to-do message"

step "bad input: unknown placement, endpoint, tenant; dedicated without endpoint"
expect_exit 1 admin migrate initech --to private
expect_exit 1 admin migrate initech --to dedicated --endpoint mars
grep -q "mars" "$WORK/last.err" || fail "endpoint named"
expect_exit 1 admin migrate initech --to dedicated
expect_exit 1 admin migrate initech --to shared --endpoint eu
expect_exit 1 admin migrate nobody --to shared
expect_exit 2 admin migrate initech --to
expect_exit 2 admin migrate initech --batch 0 --to shared
expect_exit 1 admin migrate initech --abort

step "a target that already holds the tenant's data is refused, nothing touched"
"$FIXTURE" seed "$WORK/registry.json" acme 50 >/dev/null
sed -i 's/"initech": {"placement": "collection"}/"initech": {"placement": "shared"}/' "$WORK/registry.json"
"$FIXTURE" seed "$WORK/registry.json" initech 5 || fail "seed stray shared"
sed -i 's/"initech": {"placement": "shared"}/"initech": {"placement": "collection"}/' "$WORK/registry.json"
expect_exit 1 admin migrate initech --to shared
grep -q "already holds 5 points" "$WORK/last.err" || fail "conflict message"
[ -e "$WORK/registry.json.journal" ] && fail "journal written for a refused migration"
expect_where "$N 5 absent"
echo "PASS"
