# bench_migrate.sh: the migration figures in docs/admin.md.
#   sh tests/admin/bench_migrate.sh build/admin/tenantq-admin \
#      build/tests/admin/admin_fixture build/devserver/tenantq-devserver tests/admin [N]
# Seeds N docs (default 10000, dim 8, plus 3 notes) for one tenant on two devservers
# (cluster mode, for tiered) and moves it collection -> shared -> dedicated ->
# collection -> tiered -> collection, then promotes a second tenant of N docs inside
# the tiered collection (its own shard key, replicate_points), printing for each move
# the copy rate the tool reports and the whole migration's wall time (copy, verify,
# switch, delete, verify empty). Not part of `make test`.
ADMIN=$1 FIXTURE=$2 DEVSERVER=$3 SRC=$4 N=${5:-10000}
. "$SRC/lib.sh"

start_server a --cluster-mode
start_server b --cluster-mode
write_registry '"initech": {"placement": "collection"},
"hooli": {"placement": "tiered"}'
admin onboard initech hooli >/dev/null || fail "onboard"
"$FIXTURE" seed "$WORK/registry.json" initech "$N" || fail "seed"
"$FIXTURE" seed "$WORK/registry.json" hooli "$N" || fail "seed hooli"
now_ms() { date +%s%3N; }
printf '%-34s %8s %12s %10s %12s\n' move points "copy pts/s" "total s" "total pts/s"
from=collection who=initech
for move in "shared" "dedicated --endpoint eu" "collection" "tiered" "collection" "promote"; do
    [ "$move" = promote ] && { who=hooli move=tiered from="tiered (default shard)"; }
    t0=$(now_ms)
    admin migrate $who --to $move >"$WORK/m.out" 2>"$WORK/m.err" || fail "$(cat "$WORK/m.err")"
    t1=$(now_ms)
    copy=$(sed -n 's/^copy: .* (\([0-9]*\) points\/s)$/\1/p' "$WORK/m.err")
    pts=$(sed -n 's/.*: \([0-9]*\) points \(copied\|replicated\).*/\1/p' "$WORK/m.out")
    [ -n "$copy" ] || copy=-
    secs=$(awk "BEGIN { printf \"%.2f\", ($t1 - $t0) / 1000 }")
    rate=$(awk "BEGIN { printf \"%.0f\", $pts / (($t1 - $t0) / 1000) }")
    to=$(echo "$move" | cut -d' ' -f1)
    printf '%-34s %8s %12s %10s %12s\n' "$from -> $to" "$pts" "$copy" "$secs" "$rate"
    from=$to
done
"$FIXTURE" check "$WORK/registry.json" initech "$N" || fail "initech damaged"
"$FIXTURE" check "$WORK/registry.json" hooli "$N" || fail "hooli damaged"
