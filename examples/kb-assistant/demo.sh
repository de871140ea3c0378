#!/bin/sh
# demo.sh: the kb story, for `make demo`.
#
#   examples/kb-assistant/demo.sh KB [URL] [--cleanup]
#
# KB is the built kb executable; URL the server (default $TENANTQ_QDRANT_URL). Onboards
# the three tenants of registry.json, ingests their support and sales corpora, asks a
# few questions, and prints each bot's sources and the status view. With --cleanup it
# offboards every tenant at the end (each offboard verifies nothing remains).
set -eu

if [ $# -lt 1 ]; then
    echo "usage: $0 KB [URL] [--cleanup]" >&2
    exit 2
fi
KB=$1
shift
cleanup=0
URL=${TENANTQ_QDRANT_URL:-}
for arg in "$@"; do
    case $arg in
        --cleanup) cleanup=1 ;;
        *) URL=$arg ;;
    esac
done
[ -n "$URL" ] || { echo "demo.sh: no server: pass URL or set TENANTQ_QDRANT_URL" >&2; exit 2; }
case $KB in /*) ;; *) KB=$(pwd)/$KB ;; esac

here=$(cd "$(dirname "$0")" && pwd)
export TENANTQ_QDRANT_URL="$URL"
export KB_REGISTRY="$here/registry.json"
cd "$here"

TENANTS="acorn brightline cobalt"
BOTS="support sales"

say() { printf '\n== %s\n' "$*"; }
run() {
    printf '$ kb'
    for arg in "$@"; do
        case $arg in
            *' '*) printf ' "%s"' "$arg" ;;
            *) printf ' %s' "$arg" ;;
        esac
    done
    printf '\n'
    "$KB" "$@"
}

say "three customer companies, one registry (registry.json), server $URL"
for t in $TENANTS; do run onboard "$t"; done

say "each company has a support bot and a sales bot with their own documents"
for t in $TENANTS; do
    for b in $BOTS; do run ingest "$t" "$b" corpus/"$t"/"$b"/*; done
done

say "the same question, three tenants: each answers from its own near-identical page"
for t in $TENANTS; do run ask "$t" support "How long is the password reset link valid?" --limit 1; done

say "a support bot never answers from its sales bot's price list"
run ask acorn sales "How much is the Growth plan per month?" --limit 1
run ask acorn support "How much is the Growth plan per month?" --limit 2

say "an error code: dense search alone can miss it (acorn, cobalt); hybrid, the default, answers each tenant from its own error page"
for tc in acorn:AC-4471 brightline:BL-2209 cobalt:CB-7310; do
    t=${tc%%:*}
    code=${tc#*:}
    run ask "$t" support "$code when signing in" --limit 1 --mode dense
    run ask "$t" support "$code when signing in" --limit 1
done

say "another tenant's error code finds nothing, even by keyword alone"
run ask acorn support "CB-7310" --mode text

say "what each bot knows"
run sources brightline support
run sources brightline sales

say "the operator's view"
run status

if [ $cleanup -eq 1 ]; then
    say "offboarding: erase, then verify nothing remains"
    for t in $TENANTS; do run offboard "$t"; done
fi
