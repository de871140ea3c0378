# live_resume.sh: a migration killed at every step resumes with `migrate` run again;
# in between, the tenant's full data stays readable through the generated client from
# the place the registry names. Also: --abort before the switch, a registry edited
# while a journal is open, and a real kill -9 part way through the copy.
ADMIN=$1 FIXTURE=$2 DEVSERVER=$3 SRC=$4
. "$SRC/lib.sh"

start_server a
start_server b
write_registry '"initech": {"placement": "collection"},
"acme": {"placement": "shared"}'
N=400
admin onboard initech acme >/dev/null || fail "onboard"
"$FIXTURE" seed "$WORK/registry.json" initech $N || fail "seed"
"$FIXTURE" seed "$WORK/registry.json" acme 30 || fail "seed acme"

# places: docs of initech in "a-own a-shared b-own".
places() {
    echo "$(count "$URL_a" adm-docs--initech) $(count "$URL_a" adm-docs initech) $(count "$URL_b" adm-docs--initech)"
}
readable() {
    "$FIXTURE" check "$WORK/registry.json" initech $N || fail "initech not fully readable $*"
    "$FIXTURE" check "$WORK/registry.json" acme 30 || fail "acme damaged $*"
}

# Alternate the direction so every crash point is tried on a real move.
to=shared
for point in begun prepared copying copied verified switching registry-written switched deleted; do
    step "crash at \"$point\" on the way to $to, then resume"
    if [ $to = dedicated ]; then set -- --to dedicated --endpoint eu; else set -- --to $to; fi
    TENANTQ_ADMIN_CRASH_AT=$point admin migrate initech "$@" --batch 50 \
        >"$WORK/crash.out" 2>"$WORK/crash.err"
    rc=$?
    [ $rc = 137 ] || fail "expected the injected crash (137), got $rc: $(cat "$WORK/crash.err")"
    grep -q "crash injected at \"$point\"" "$WORK/crash.err" || fail "crash point not reached"
    [ -e "$WORK/registry.json.journal" ] || fail "no journal after a crash at $point"
    readable "after a crash at $point"
    # Another migration is refused while this one is unfinished.
    expect_exit 1 admin migrate acme --to collection
    grep -q "unfinished" "$WORK/last.err" || fail "unfinished-migration message"
    expect_exit 0 admin migrate initech --batch 50
    grep -q "resuming after step" "$WORK/last.err" || fail "resume message"
    if [ $point = copying ]; then
        grep -q "copy: resuming in adm-docs after 50 points" "$WORK/last.err" ||
            fail "the copy did not resume where it stopped"
    fi
    [ -e "$WORK/registry.json.journal" ] && fail "journal left after resume"
    readable "after resuming from $point"
    case $to in
    shared) [ "$(places)" = "absent $N absent" ] || fail "places $(places)"; to=dedicated ;;
    dedicated) [ "$(places)" = "absent 0 $N" ] || fail "places $(places)"; to=collection ;;
    collection) [ "$(places)" = "$N 0 absent" ] || fail "places $(places)"; to=shared ;;
    esac
done

step "--abort before the switch deletes the target copy; the tenant stays"
before=$(places)
TENANTQ_ADMIN_CRASH_AT=verified admin migrate initech --to dedicated --endpoint eu >/dev/null 2>&1
expect_exit 0 admin migrate initech --abort
grep -q "aborted" "$WORK/last.out" || fail "abort message"
[ "$(places)" = "$before" ] || fail "abort left [$(places)], expected [$before]"
[ -e "$WORK/registry.json.journal" ] && fail "journal left after abort"
readable "after abort"

step "--abort after the switch is refused"
TENANTQ_ADMIN_CRASH_AT=switched admin migrate initech --to dedicated --endpoint eu >/dev/null 2>&1
expect_exit 1 admin migrate initech --abort
grep -q "already names the target" "$WORK/last.err" || fail "abort-after-switch message"
expect_exit 0 admin migrate initech
readable "after finishing"

step "a registry edited while the journal is open: exit 1, nothing touched"
TENANTQ_ADMIN_CRASH_AT=copied admin migrate initech --to collection >/dev/null 2>&1
cp "$WORK/registry.json" "$WORK/registry.saved"
sed -i 's/"acme": {"placement": "shared"}/"acme": {"placement": "shared" }/' "$WORK/registry.json"
before=$(places)
expect_exit 1 admin migrate initech
grep -q "changed since the migration" "$WORK/last.err" || fail "changed-registry message"
[ "$(places)" = "$before" ] || fail "a refused resume changed data"
expect_exit 1 admin migrate initech --to shared
grep -q "unfinished migration" "$WORK/last.err" || fail "other-target message"
cp "$WORK/registry.saved" "$WORK/registry.json"
expect_exit 0 admin migrate initech
readable "after restoring the registry"

step "a torn journal is refused, not ignored"
printf '{"version":1,"op":"migr' >"$WORK/registry.json.journal"
expect_exit 1 admin migrate initech --to shared
grep -q "journal" "$WORK/last.err" || fail "torn-journal message"
rm -f "$WORK/registry.json.journal"

step "a write to the source during the migration: verification fails, the copy is discarded"
TENANTQ_ADMIN_CRASH_AT=copied admin migrate initech --to dedicated --endpoint eu >/dev/null 2>&1
"$FIXTURE" seed "$WORK/registry.json" initech $((N + 1)) || fail "seed during the migration"
N=$((N + 1))
expect_exit 1 admin migrate initech
grep -q "the source has $N points, the target $((N - 1)); the target copy is discarded" \
    "$WORK/last.err" ||
    fail "verification did not catch the new point"
grep -q '"step":	"begun"' "$WORK/registry.json.journal" || fail "journal not back at begun"
readable "after a failed verification"
expect_exit 0 admin migrate initech
readable "after copying afresh"
[ "$(places)" = "absent 0 $N" ] || fail "places after the fresh copy: $(places)"

step "kill -9 part way through a copy, then resume"
"$FIXTURE" seed "$WORK/registry.json" initech 3000 >/dev/null || fail "seed more"
N=3000
"$ADMIN" --schema "$SRC/adm.tqs" --registry "$WORK/registry.json" migrate initech --to shared \
    --batch 20 >/dev/null 2>"$WORK/kill.err" &
pid=$!
i=0
while ! grep -q "copy: " "$WORK/kill.err" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.02; i=$((i + 1)); done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
readable "after kill -9"
expect_exit 0 admin migrate initech
readable "after resuming from kill -9"
[ "$(places)" = "absent $N absent" ] || fail "places after kill -9 resume: $(places)"
echo "PASS"
