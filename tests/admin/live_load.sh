# live_load.sh: migrations under load leak nothing.
#
# While initech moves collection -> shared -> dedicated -> tiered -> collection and
# hooli is promoted inside the tiered collection (its own shard key, replicate_points),
# loads run against the same servers: tenantq-probe, in a loop, loading its own tenants
# in every placement (tiered included) and firing its adversarial cross-tenant reads
# and writes (it exits 1 on any leak or failed check); and readers of initech and of
# hooli through the generated client that reload the registry before every round and
# require all of the tenant's points, intact, every time (the client's leak guard
# turns any foreign point into a failure); and globex, left in the tiered collection's
# default shard, rewriting its points and searching at hooli's vectors and titles while
# hooli searches at its, before, during and after hooli's promotion.
ADMIN=$1 FIXTURE=$2 DEVSERVER=$3 SRC=$4 PROBE=$5
. "$SRC/lib.sh"

start_server a --cluster-mode
start_server b --cluster-mode
write_registry '"initech": {"placement": "collection"},
"acme": {"placement": "shared"},
"hooli": {"placement": "tiered"},
"globex": {"placement": "tiered"}'
N=1000
admin onboard initech acme hooli globex >/dev/null || fail "onboard"
"$FIXTURE" seed "$WORK/registry.json" initech $N || fail "seed"
"$FIXTURE" seed "$WORK/registry.json" acme 100 || fail "seed acme"
"$FIXTURE" seed "$WORK/registry.json" hooli 500 || fail "seed hooli"
"$FIXTURE" seed "$WORK/registry.json" globex 100 || fail "seed globex"

(
    runs=0
    placement=all
    while [ ! -e "$WORK/stop" ]; do
        "$PROBE" --url "$URL_a" --url "$URL_b" --tenants 4 --vectors 150 --probes 150 \
            --placement $placement --dim 64 --tenant-prefix load- >"$WORK/probe.out" 2>&1 ||
            { echo "probe run $runs failed" >"$WORK/probe.failed"; cat "$WORK/probe.out" >&2; break; }
        runs=$((runs + 1))
        [ $placement = all ] && placement=tiered || placement=all
    done
    echo "$runs" >"$WORK/probe.runs"
) &
probe_pid=$!
"$FIXTURE" reads "$WORK/registry.json" initech $N 600000 >"$WORK/reads.out" 2>"$WORK/reads.err" &
reads_pid=$!
"$FIXTURE" reads "$WORK/registry.json" hooli 500 600000 >"$WORK/reads2.out" 2>"$WORK/reads2.err" &
reads2_pid=$!
# globex, in the default shard next to hooli, rewrites its own points (the same keys as
# hooli's) and reads adversarially at hooli's vectors and titles, and hooli at its.
(
    while [ ! -e "$WORK/stop" ]; do
        "$FIXTURE" seed "$WORK/registry.json" globex 100 &&
            "$FIXTURE" attack "$WORK/registry.json" globex 100 hooli 500 &&
            "$FIXTURE" attack "$WORK/registry.json" hooli 500 globex 100 ||
            { echo "attack failed" >"$WORK/attack.failed"; break; }
    done
) 2>"$WORK/attack.err" &
attack_pid=$!
PIDS="$PIDS $probe_pid $reads_pid $reads2_pid $attack_pid"

step "promote hooli inside the tiered collection under load"
expect_exit 0 admin migrate hooli --to tiered
grep -q "promoted hooli: 503 points" "$WORK/last.out" || fail "promotion summary"
kill -0 $reads2_pid 2>/dev/null || fail "the hooli reader stopped: $(cat "$WORK/reads2.err")"
for move in "shared" "dedicated --endpoint eu" "tiered" "collection"; do
    step "migrate initech --to $move under load"
    # The grace period outlasts a reader's round, so no reader still routes to the
    # source when it is deleted.
    expect_exit 0 admin migrate initech --to $move --grace-ms 1500
    kill -0 $reads_pid 2>/dev/null || fail "the reader stopped: $(cat "$WORK/reads.err")"
    [ -e "$WORK/probe.failed" ] && fail "$(cat "$WORK/probe.failed")"
done
touch "$WORK/stop"
kill $reads_pid $reads2_pid 2>/dev/null
wait $reads_pid
wait $reads2_pid
wait $attack_pid
[ -e "$WORK/attack.failed" ] && fail "tiered attack: $(cat "$WORK/attack.err")"
wait $probe_pid
[ -e "$WORK/probe.failed" ] && fail "$(cat "$WORK/probe.failed")"
[ -s "$WORK/reads.err" ] && fail "reader: $(cat "$WORK/reads.err")"
[ -s "$WORK/reads2.err" ] && fail "hooli reader: $(cat "$WORK/reads2.err")"
runs=$(cat "$WORK/probe.runs")
[ "$runs" -ge 1 ] || fail "the probe never completed a run"
"$FIXTURE" check "$WORK/registry.json" initech $N || fail "initech damaged"
"$FIXTURE" check "$WORK/registry.json" acme 100 || fail "acme damaged"
"$FIXTURE" check "$WORK/registry.json" hooli 500 || fail "hooli damaged"
"$FIXTURE" check "$WORK/registry.json" globex 100 || fail "globex damaged"
echo "$runs probe runs with zero leaks; the readers saw all their points every round"
echo "PASS"
