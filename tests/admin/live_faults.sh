# live_faults.sh: migrations against devservers that answer a share of /points
# requests with 503 or drop the connection (--fault-rate, --fault-drop). A run that
# fails part way exits 1 and keeps its journal; running `migrate` again resumes.
# Whatever happens, the tenant stays fully readable and, once done, every point is in
# exactly one place.
ADMIN=$1 FIXTURE=$2 DEVSERVER=$3 SRC=$4
. "$SRC/lib.sh"

start_server a --fault-rate 0.4 --fault-drop 0.05 --fault-seed 7 --cluster-mode
start_server b --fault-rate 0.4 --fault-drop 0.05 --fault-seed 11 --cluster-mode
write_registry '"initech": {"placement": "collection"},
"acme": {"placement": "shared"},
"hooli": {"placement": "tiered"}'
N=600
# fixture ARGS...: the application side, retried while requests fail (exit 3); wrong
# data (exit 1) fails the scenario at once.
fixture() {
    tries=0
    while :; do
        "$FIXTURE" "$@" 2>"$WORK/fixture.err"
        rc=$?
        [ $rc -ne 3 ] && return $rc
        tries=$((tries + 1))
        [ $tries -ge 20 ] && { cat "$WORK/fixture.err" >&2; return 3; }
    done
}
admin onboard initech acme hooli >/dev/null || admin onboard initech acme hooli >/dev/null ||
    fail "onboard"
fixture seed "$WORK/registry.json" initech $N || fail "seed"
fixture seed "$WORK/registry.json" acme 40 || fail "seed acme"
fixture seed "$WORK/registry.json" hooli 70 || fail "seed hooli"

places() {
    echo "$(count "$URL_a" adm-docs--initech) $(count "$URL_a" adm-docs initech) $(count "$URL_b" adm-docs--initech) $(count "$URL_a" adm-docs-tiered initech initech)"
}
runs=0 failures=0
# migrate_until_done ARGS...: runs the same migrate command (for $WHO, initech unless
# set) until it succeeds (at most 40 runs; a run may fail before or after its journal
# exists); the tenant must be readable after every failed run.
WHO=initech WHO_N=$N
migrate_until_done() {
    admin migrate $WHO "$@" --batch 100 >"$WORK/m.out" 2>"$WORK/m.err"
    rc=$?
    while [ $rc -ne 0 ]; do
        [ $rc -eq 1 ] || fail "migrate exited $rc: $(cat "$WORK/m.err")"
        failures=$((failures + 1))
        [ $failures -ge 40 ] && fail "migrate did not finish under faults: $(tail -3 "$WORK/m.err")"
        fixture check "$WORK/registry.json" $WHO $WHO_N || fail "not readable after a failed run"
        admin migrate $WHO "$@" --batch 100 >"$WORK/m.out" 2>"$WORK/m.err"
        rc=$?
    done
    runs=$((runs + 1))
}

step "collection -> dedicated -> shared -> collection under faults"
migrate_until_done --to dedicated --endpoint eu
[ "$(places)" = "absent 0 $N absent" ] || fail "after dedicated: $(places)"
migrate_until_done --to shared
[ "$(places)" = "absent $N absent absent" ] || fail "after shared: $(places)"
migrate_until_done --to collection
[ "$(places)" = "$N 0 absent absent" ] || fail "after collection: $(places)"

step "collection -> tiered -> collection, and a promotion in place, under faults"
migrate_until_done --to tiered
[ "$(places)" = "absent 0 absent $N" ] || fail "after tiered: $(places)"
migrate_until_done --to collection
[ "$(places)" = "$N 0 absent absent" ] || fail "after collection: $(places)"
WHO=hooli WHO_N=70
migrate_until_done --to tiered
hooli="$(count "$URL_a" adm-docs-tiered hooli hooli) $(count "$URL_a" adm-docs-tiered hooli default)"
[ "$hooli" = "70 0" ] || fail "hooli after its promotion: $hooli"
fixture check "$WORK/registry.json" hooli 70 || fail "hooli damaged"
fixture check "$WORK/registry.json" initech $N || fail "initech damaged"
fixture check "$WORK/registry.json" acme 40 || fail "acme damaged"
[ -e "$WORK/registry.json.journal" ] && fail "journal left behind"
echo "$runs migrations done; $failures runs failed part way and were resumed"
[ $failures -gt 0 ] || fail "the faults never interrupted a run: the scenario proves nothing"
echo "PASS"
