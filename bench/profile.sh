#!/usr/bin/env bash
# profile.sh BUILD_DIR [DOC.md]: the client-side cost of one search, in instructions,
# for the generated client and the hand-written baselines, counted by callgrind over the
# timed search phase only (--toggle-collect on bench_paired_searches, one client at a time; the devserver is
# a separate process and not counted). Instruction counts do not drift with the load of
# a shared machine, so this is the figure to compare the tenant layer's cost with.
# Prints a Markdown table, and with DOC writes it into DOC's tenantq-bench-profile section.
set -euo pipefail

build="${1:?usage: profile.sh BUILD_DIR [DOC.md]}"
doc="${2:-}"
bench="$build/bench/tenantq-bench"
searches=200
args=(--tenants 10 --vectors 100 --searches "$searches")
command -v valgrind >/dev/null || { echo "profile: valgrind is required" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
declare -A per_search
for client in generated handwritten handwritten-wire; do
  valgrind --tool=callgrind --callgrind-out-file="$work/$client.out" \
    --toggle-collect=bench_paired_searches "$bench" --only "$client" "${args[@]}" \
    >"$work/$client.log" 2>&1 || { cat "$work/$client.log" >&2; exit 1; }
  total="$(callgrind_annotate "$work/$client.out" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')"
  [ -n "$total" ] || { echo "profile: no totals for $client" >&2; exit 1; }
  per_search[$client]=$((total / searches))
done

ratio() { awk -v g="${per_search[$1]}" -v h="${per_search[handwritten]}" 'BEGIN { printf "%.2f", g / h }'; }
body="$(cat <<TABLE
Client-side instructions per search (callgrind, \`bench/profile.sh\`: $searches searches
over 10 tenants x 100 vectors, devserver not counted; $(nproc) cores):

| client | instructions per search | vs hand-written |
| --- | --- | --- |
| generated tenantq client | ${per_search[generated]} | $(ratio generated)x |
| hand-written libcurl + cJSON | ${per_search[handwritten]} | 1.00x |
| the same with HTTP/1.1 written by hand over libcurl's connection, a connection per tenant | ${per_search[handwritten-wire]} | $(ratio handwritten-wire)x |
TABLE
)"
printf '%s\n' "$body"
if [ -n "$doc" ]; then
  printf '%s\n' "$body" | "$bench" section "$doc" tenantq-bench-profile
fi
