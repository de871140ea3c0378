#!/bin/sh
# e2e.sh: kb against a live server, end to end, as a user would run it.
#
#   sh tests/e2e.sh KB DEVSERVER SOURCE_DIR
#
# Starts DEVSERVER on a free port (or uses TENANTQ_QDRANT_URL when set), onboards the
# three registry tenants, ingests their corpora and then proves, through `kb ask` and
# `kb sources` only, that a bot never sees another bot's documents and a tenant never
# sees another tenant's, although the corpora share topics and near-identical text.
# Finally it offboards every tenant and checks that nothing remains. With its own
# devservers (and curl to ask them directly) it then also checks the server's point
# counts and runs a fourth tenant in the dedicated placement on a second server. Any
# failed check exits 1 with the reason.
set -eu

KB=$1
DEVSERVER=$2
SOURCE_DIR=$3
TENANTS="acorn brightline cobalt"
BOTS="support sales"

work=$(mktemp -d)
server_pids=
cleanup() {
    for pid in $server_pids; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

fail() {
    echo "e2e: FAIL: $*" >&2
    exit 1
}
step() { echo "e2e: $*"; }

# Starts a devserver on a free port and sets $url to its address.
start_server() {
    "$DEVSERVER" --port 0 >"$work/$1.out" 2>"$work/$1.err" &
    pid=$!
    server_pids="$server_pids $pid"
    line=
    tries=0
    while [ $tries -lt 200 ]; do
        line=$(head -n 1 "$work/$1.out" 2>/dev/null || true)
        case $line in "listening on "*) break ;; esac
        kill -0 "$pid" 2>/dev/null || fail "devserver $1 exited: $(cat "$work/$1.err")"
        sleep 0.05
        tries=$((tries + 1))
    done
    case $line in "listening on "*) ;; *) fail "devserver $1 did not report its address" ;; esac
    url=${line#listening on }
}

# Prints the number of points a server holds in all its collections, asking the server
# itself rather than kb.
server_points() {
    total=0
    for c in $(curl -fsS "$1/collections" | grep -o '"name": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/'); do
        n=$(curl -fsS -X POST -H 'Content-Type: application/json' -d '{"exact":true}' \
            "$1/collections/$c/points/count" | grep -o '"count": *[0-9]*' | tr -dc '0-9')
        [ -n "$n" ] || fail "could not count the points of collection $c at $1"
        total=$((total + n))
    done
    echo "$total"
}

if [ -n "${TENANTQ_QDRANT_URL:-}" ]; then
    url=$TENANTQ_QDRANT_URL
    own_server=0
else
    start_server main
    own_server=1
fi
export TENANTQ_QDRANT_URL="$url"
export KB_REGISTRY="$SOURCE_DIR/registry.json"
unset KB_BOTS
cd "$SOURCE_DIR"
step "server $url"

# kb prints each answer as "[N] SCORE SOURCE  page P"; these helpers pull the sources.
ask_sources() { "$KB" ask "$@" --limit 10 | awk '/^\[[0-9]+\] / { print $3 }'; }
listed_sources() { "$KB" sources "$1" "$2" | awk '$1 ~ /^corpus\// { print $1 }'; }

"$KB" --help >"$work/help" || fail "kb --help exited non-zero"
for command in onboard ingest ask sources offboard status; do
    grep -q "kb $command" "$work/help" || fail "kb --help does not describe '$command'"
done

step "clean start: offboard is idempotent"
for t in $TENANTS; do "$KB" offboard "$t" >/dev/null || fail "offboard $t before onboarding"; done

step "onboard three tenants"
for t in $TENANTS; do "$KB" onboard "$t" || fail "onboard $t"; done
"$KB" onboard acorn >/dev/null || fail "a second onboard of acorn is not idempotent"

step "ingest six corpora"
for t in $TENANTS; do
    for b in $BOTS; do
        "$KB" ingest "$t" "$b" corpus/"$t"/"$b"/* || fail "ingest $t/$b"
    done
done

step "each bot lists exactly its own documents"
for t in $TENANTS; do
    for b in $BOTS; do
        ls corpus/"$t"/"$b"/* | sort >"$work/expected"
        listed_sources "$t" "$b" | sort >"$work/listed"
        [ -s "$work/listed" ] || fail "kb sources $t $b listed nothing"
        cmp -s "$work/expected" "$work/listed" ||
            fail "kb sources $t $b: expected $(tr '\n' ' ' <"$work/expected"), got $(tr '\n' ' ' <"$work/listed")"
    done
done

step "no answer ever comes from another bot or tenant"
asked=0
for t in $TENANTS; do
    for b in $BOTS; do
        while IFS= read -r q; do
            ask_sources "$t" "$b" "$q" >"$work/answers" || fail "kb ask $t $b '$q'"
            [ -s "$work/answers" ] || fail "kb ask $t $b '$q' returned nothing"
            if grep -v "^corpus/$t/$b/" "$work/answers" >"$work/foreign"; then
                fail "kb ask $t $b '$q' answered from $(tr '\n' ' ' <"$work/foreign")"
            fi
            asked=$((asked + 1))
        done <<QUESTIONS
How long is the password reset link valid?
How much does the plan cost per month?
Can I get a refund after cancelling?
Do you support single sign-on with Okta or Azure AD?
How do I export my data as CSV?
Are you SOC 2 certified and where is data stored?
QUESTIONS
    done
done
step "asked $asked questions: every answer came from the asking tenant's bot"

step "near-duplicate documents answer with each tenant's own facts"
check_top() { # tenant bot question expected-source expected-text
    "$KB" ask "$1" "$2" "$3" --limit 1 >"$work/top" || fail "kb ask $1 $2 '$3'"
    top=$(awk '/^\[1\] / { print $3 }' "$work/top")
    [ "$top" = "$4" ] || fail "kb ask $1 $2 '$3': top answer from '$top', expected '$4'"
    grep -q "$5" "$work/top" || fail "kb ask $1 $2 '$3': answer lacks '$5': $(cat "$work/top")"
}
q="How long is the password reset link valid?"
check_top acorn support "$q" corpus/acorn/support/account-access.md "30"
check_top brightline support "$q" corpus/brightline/support/account-access.md "60 minutes"
check_top cobalt support "$q" corpus/cobalt/support/account-access.md "15"
check_top acorn sales "How much is the Growth plan per month?" corpus/acorn/sales/pricing.md '\$299'
check_top brightline support "refund policy when cancelling" corpus/brightline/support/billing.txt "30 days"

step "a source filter narrows within the bot only"
ask_sources acorn support "password" --source corpus/acorn/support/billing.md >"$work/answers"
[ -s "$work/answers" ] || fail "kb ask --source returned nothing"
if grep -v '^corpus/acorn/support/billing.md$' "$work/answers" >/dev/null; then
    fail "kb ask --source returned other sources"
fi
ask_sources acorn support "password" --source corpus/cobalt/support/account-access.md >"$work/answers"
[ ! -s "$work/answers" ] || fail "naming another tenant's source reached it: $(cat "$work/answers")"

step "re-ingesting a document replaces it"
"$KB" sources acorn support | awk '/ sources, / { print $3 }' >"$work/before"
"$KB" ingest acorn support corpus/acorn/support/billing.md >/dev/null || fail "re-ingest"
"$KB" sources acorn support | awk '/ sources, / { print $3 }' >"$work/after"
cmp -s "$work/before" "$work/after" ||
    fail "re-ingest changed the chunk count from $(cat "$work/before") to $(cat "$work/after")"

step "bad input is refused"
if "$KB" ask globex support "anything" >/dev/null 2>"$work/err"; then
    fail "an unregistered tenant was accepted"
fi
grep -q TQ_ETENANT "$work/err" || fail "unregistered tenant: $(cat "$work/err")"
"$KB" sources acorn sales >"$work/before"
if "$KB" ingest acorn sales corpus/acorn/sales/pricing.md "$work/missing.md" >/dev/null 2>"$work/err"; then
    fail "ingesting a missing file succeeded"
fi
grep -q "missing.md: error: " "$work/err" || fail "missing file: $(cat "$work/err")"
"$KB" sources acorn sales >"$work/after"
cmp -s "$work/before" "$work/after" || fail "a failed ingest changed the stored documents"
set +e
"$KB" ask acorn marketing "anything" >/dev/null 2>&1
rc=$?
set -e
[ $rc -eq 2 ] || fail "an unknown bot gave exit status $rc, expected 2"

step "status shows every tenant and bot"
"$KB" status >"$work/status" || fail "kb status: $(cat "$work/status")"
cat "$work/status"
grep -q '^version:  qdrant - vector search engine 1\.' "$work/status" ||
    fail "kb status does not report the server version"
for t in $TENANTS; do
    for b in $BOTS; do
        n=$(ls corpus/"$t"/"$b"/* | wc -l | tr -d ' ')
        awk -v t="$t" -v b="$b" -v n="$n" \
            '$1 == t && $3 == b && $4 == n && $5 > 0 && $7 == "ok" { found = 1 } END { exit !found }' \
            "$work/status" || fail "kb status has no healthy row for $t/$b with $n sources"
    done
done

step "offboarding one shared tenant leaves its neighbour intact"
"$KB" sources cobalt support >"$work/cobalt.before"
"$KB" offboard brightline || fail "offboard brightline"
"$KB" sources cobalt support >"$work/cobalt.after"
cmp -s "$work/cobalt.before" "$work/cobalt.after" || fail "offboarding brightline changed cobalt"
for b in $BOTS; do
    if out=$("$KB" sources brightline "$b" 2>/dev/null); then
        echo "$out" | grep -q '^0 sources, 0 chunks' ||
            fail "brightline/$b still lists data after offboard: $out"
    fi
    if out=$("$KB" ask brightline "$b" "How long is the password reset link valid?" 2>/dev/null); then
        echo "$out" | grep -q '^\[1\]' && fail "brightline/$b still answers after offboard: $out"
    fi
done

step "offboard the rest; nothing remains"
"$KB" offboard acorn || fail "offboard acorn"
"$KB" offboard cobalt || fail "offboard cobalt"
"$KB" status >"$work/status" || fail "kb status after offboarding"
awk '$1 ~ /^(acorn|brightline|cobalt)$/ && $5 != "-" && $5 != 0 { bad = 1 } END { exit bad }' \
    "$work/status" || fail "chunks remain after offboarding: $(cat "$work/status")"

if [ $own_server -eq 1 ] && command -v curl >/dev/null 2>&1; then
    total=$(server_points "$url")
    [ "$total" -eq 0 ] || fail "the server still holds $total points after offboarding"
    step "the server itself holds 0 points"

    step "a dedicated tenant lives on its own endpoint, with the same code"
    main_url=$url
    start_server eu
    eu_url=$url
    cat >"$work/dedicated.json" <<REGISTRY
{"version": 1,
 "endpoints": {"eu": {"url": "$eu_url"}},
 "tenants": {"acorn": {"placement": "collection"},
             "dunmore": {"placement": "dedicated", "endpoint": "eu"}}}
REGISTRY
    export KB_REGISTRY="$work/dedicated.json"
    "$KB" onboard dunmore >/dev/null || fail "onboard dunmore"
    "$KB" onboard acorn >/dev/null || fail "onboard acorn next to dunmore"
    "$KB" ingest dunmore support corpus/acorn/support/* >/dev/null || fail "ingest dunmore"
    "$KB" ingest acorn support corpus/acorn/support/* >/dev/null || fail "ingest acorn"
    n=$(ls corpus/acorn/support/* | wc -l | tr -d ' ')
    "$KB" sources dunmore support | grep -q "^$n sources, " || fail "dunmore lists the wrong sources"
    chunks=$("$KB" sources dunmore support | awk '/ sources, / { print $3 }')
    [ "$(server_points "$eu_url")" -eq "$chunks" ] ||
        fail "the eu endpoint does not hold exactly dunmore's $chunks chunks"
    [ "$(server_points "$main_url")" -eq "$chunks" ] ||
        fail "the main endpoint does not hold exactly acorn's $chunks chunks"
    curl -fsS "$main_url/collections" | grep -q dunmore && fail "dunmore has storage on main"
    "$KB" offboard dunmore >/dev/null || fail "offboard dunmore"
    [ "$(server_points "$eu_url")" -eq 0 ] || fail "the eu endpoint holds points after offboard"
    [ "$(server_points "$main_url")" -eq "$chunks" ] || fail "offboarding dunmore touched acorn"
    "$KB" offboard acorn >/dev/null || fail "offboard acorn"
    [ "$(server_points "$main_url")" -eq 0 ] || fail "the main endpoint holds points at the end"
else
    step "external server or no curl: server-side counts and the dedicated tenant skipped"
fi

echo "e2e: PASS"
