# live_tiered_resume.sh: migrations to and from tiered killed at every step resume with
# `migrate` run again, and the tenant stays fully readable through the generated
# client in between. The promotion in place (replicate_points) is crashed at each of
# its steps, one fallback tenant per step; a copy into and out of the tiered
# collection at each of the copy's steps; --abort undoes a promotion whose shard key
# is already live; audit flags an unfinished promotion.
ADMIN=$1 FIXTURE=$2 DEVSERVER=$3 SRC=$4
. "$SRC/lib.sh"

start_server a --cluster-mode
start_server b --cluster-mode
POINTS="begun prepared copied verified switched deleted"
members='"initech": {"placement": "shared"},
"umbrella": {"placement": "shared"},
"hooli": {"placement": "tiered"}'
for p in $POINTS; do
    members="$members,
\"p-$p\": {\"placement\": \"tiered\"}"
done
write_registry "$members"
N=200
admin onboard initech umbrella hooli $(for p in $POINTS; do printf 'p-%s ' $p; done) >/dev/null ||
    fail "onboard"
"$FIXTURE" seed "$WORK/registry.json" initech $N || fail "seed initech"
"$FIXTURE" seed "$WORK/registry.json" hooli 60 || fail "seed hooli"
"$FIXTURE" seed "$WORK/registry.json" umbrella 20 || fail "seed umbrella"
for p in $POINTS; do
    "$FIXTURE" seed "$WORK/registry.json" "p-$p" 50 || fail "seed p-$p"
done

shard() { count "$URL_a" adm-docs-tiered "$1" "$2"; }
crash() {
    point=$1; shift
    TENANTQ_ADMIN_CRASH_AT=$point admin migrate "$@" >"$WORK/crash.out" 2>"$WORK/crash.err"
    rc=$?
    [ $rc = 137 ] || fail "expected the injected crash (137) at $point, got $rc: $(cat "$WORK/crash.err")"
    grep -q "crash injected at \"$point\"" "$WORK/crash.err" || fail "crash point $point not reached"
    [ -e "$WORK/registry.json.journal" ] || fail "no journal after a crash at $point"
}

for p in $POINTS; do
    t=p-$p
    step "promotion of $t crashed at \"$p\", then resumed"
    crash $p $t --to tiered
    "$FIXTURE" check "$WORK/registry.json" $t 50 || fail "$t not readable after a crash at $p"
    expect_exit 1 admin migrate hooli --to shared
    grep -q "unfinished" "$WORK/last.err" || fail "unfinished-migration message"
    if [ $p = verified ]; then
        # Replicated, not yet deleted from the fallback: audit says so.
        expect_exit 1 admin audit
        grep -q "tenant \"$t\" has its own shard key and 50 points left in \"default\"" \
            "$WORK/last.out" || fail "unfinished promotion not flagged"
    fi
    expect_exit 0 admin migrate $t
    grep -q "resuming after step \"$p\"" "$WORK/last.err" || fail "resume message"
    grep -q "promoted $t: 53 points" "$WORK/last.out" || fail "promotion summary"
    [ -e "$WORK/registry.json.journal" ] && fail "journal left after resume"
    [ "$(shard $t $t) $(shard $t default)" = "50 0" ] ||
        fail "$t after resuming from $p: own $(shard $t $t), default $(shard $t default)"
    "$FIXTURE" check "$WORK/registry.json" $t 50 || fail "$t not intact after resuming"
    "$FIXTURE" check "$WORK/registry.json" hooli 60 || fail "hooli damaged"
done

step "--abort of a promotion whose shard key is already live: back to default"
crash copied hooli --to tiered
[ "$(shard hooli hooli)" = 60 ] || fail "hooli not replicated: $(shard hooli hooli)"
"$FIXTURE" seed "$WORK/registry.json" hooli 60 || fail "hooli writes while its key is live"
expect_exit 0 admin migrate hooli --abort
grep -q "aborted" "$WORK/last.out" || fail "abort message"
[ "$(shard hooli hooli) $(shard hooli default)" = "absent 60" ] ||
    fail "hooli after abort: own $(shard hooli hooli), default $(shard hooli default)"
"$FIXTURE" check "$WORK/registry.json" hooli 60 || fail "hooli not intact after abort"
expect_exit 0 admin migrate hooli --to tiered
[ "$(shard hooli hooli) $(shard hooli default)" = "60 0" ] || fail "hooli promotion after abort"

# A copy into the tiered collection and out of it, crashed at each of its steps.
to=tiered
for p in begun prepared copying copied verified switching registry-written switched deleted; do
    step "initech to $to crashed at \"$p\", then resumed"
    crash $p initech --to $to --batch 50
    "$FIXTURE" check "$WORK/registry.json" initech $N || fail "initech not readable after $p"
    expect_exit 0 admin migrate initech --batch 50
    grep -q "resuming after step" "$WORK/last.err" || fail "resume message"
    [ -e "$WORK/registry.json.journal" ] && fail "journal left after resume"
    "$FIXTURE" check "$WORK/registry.json" initech $N || fail "initech not intact after $p"
    own=$(shard initech initech) sh=$(count "$URL_a" adm-docs initech)
    if [ $to = tiered ]; then
        [ "$own $sh" = "$N 0" ] || fail "initech in tiered: own $own, shared $sh"
        to=shared
    else
        [ "$own $sh" = "absent $N" ] || fail "initech in shared: own $own, shared $sh"
        to=tiered
    fi
done
"$FIXTURE" check "$WORK/registry.json" hooli 60 || fail "hooli damaged"
"$FIXTURE" check "$WORK/registry.json" umbrella 20 || fail "umbrella damaged"
expect_exit 0 admin audit
echo "PASS"
