# lib.sh: shared pieces of the tenantq-admin live scenarios (POSIX sh).
# Usage in a scenario: . "$SRC/lib.sh" after setting ADMIN FIXTURE DEVSERVER SRC.
set -u
WORK=$(mktemp -d /tmp/tq-admin-live.XXXXXX)
PIDS=""
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }

# start_server NAME [devserver flags...]: starts a devserver on a free port and sets
# the variable URL_<NAME> to its address.
start_server() {
    name=$1; shift
    out="$WORK/server-$name.out"
    "$DEVSERVER" --port 0 "$@" >"$out" 2>"$WORK/server-$name.err" &
    pid=$!
    PIDS="$PIDS $pid"
    i=0
    while ! grep -q '^listening on ' "$out" 2>/dev/null; do
        i=$((i + 1))
        [ $i -gt 100 ] && fail "devserver $name did not start: $(cat "$WORK/server-$name.err")"
        sleep 0.05
    done
    url=$(sed -n 's/^listening on //p' "$out")
    eval "URL_$name=\$url"
}

# write_registry MEMBERS: the scenario's registry: endpoint "default" on server a,
# "eu" on server b, and MEMBERS (one tenant a line) as the tenants object.
write_registry() {
    {
        printf '{\n  "version": 1,\n'
        printf '  "endpoints": {"default": {"url": "%s"}, "eu": {"url": "%s"}},\n' "$URL_a" "$URL_b"
        printf '  "tenants": {\n'
        printf '%s\n' "$1" | sed 's/^/    /'
        printf '  }\n}\n'
    } >"$WORK/registry.json"
}

# admin ARGS...: runs tenantq-admin on the scenario's schema and registry.
admin() { "$ADMIN" --schema "$SRC/adm.tqs" --registry "$WORK/registry.json" "$@"; }

# expect_exit CODE CMD...: runs CMD and fails unless it exits with CODE.
expect_exit() {
    want=$1; shift
    "$@" >"$WORK/last.out" 2>"$WORK/last.err"
    got=$?
    cat "$WORK/last.out" "$WORK/last.err"
    [ "$got" = "$want" ] || fail "exit $got, expected $want: $*"
}

# move_to TENANT "PLACEMENT [ENDPOINT]" ARGS...: `migrate TENANT --to PLACEMENT
# [--endpoint ENDPOINT] ARGS...`, which must exit 0.
move_to() {
    who=$1 placement=${2%% *} endpoint=${2#"${2%% *}"}
    shift 2
    expect_exit 0 admin migrate "$who" --to "$placement" ${endpoint:+--endpoint $endpoint} "$@"
}

# count URL COLLECTION [TENANT]: prints the raw point count, or "absent". Retried,
# because the fault scenario's servers refuse or drop a share of /points requests.
count() {
    tries=0
    until "$FIXTURE" rawcount "$@" 2>/dev/null; do
        tries=$((tries + 1))
        [ $tries -ge 50 ] && fail "rawcount $*"
    done
}

# expect_count WANT URL COLLECTION [TENANT]
expect_count() {
    want=$1; shift
    got=$(count "$@")
    [ "$got" = "$want" ] || fail "count $* is $got, expected $want"
}
