#!/usr/bin/env bash
# demo.sh BUILD_DIR: the main job of `make demo`.
#
# Starts tenantq-devserver on a free loopback port (or uses TENANTQ_QDRANT_URL when it
# is set, e.g. a real Qdrant), runs the kb-assistant story through its generated client
# (three companies onboarded, corpora ingested, questions asked, tenants offboarded),
# then the leakage probe suite in all three placements, and prints its report. Exits
# non-zero if any step fails, including any leak the probe finds.
set -euo pipefail

build=${1:?usage: scripts/demo.sh BUILD_DIR}
build=$(cd "$build" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
devserver=$build/devserver/tenantq-devserver
kb=$build/examples/kb-assistant/kb
probe=$build/probe/tenantq-probe
out=$build/demo
mkdir -p "$out"

for exe in "$devserver" "$kb" "$probe"; do
  [ -x "$exe" ] || { echo "demo: $exe is missing; run 'make build' first" >&2; exit 2; }
done

server_pid=
stop_server() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
trap stop_server EXIT

probe_target=()
if [ -n "${TENANTQ_QDRANT_URL:-}" ]; then
  url=$TENANTQ_QDRANT_URL
  probe_target=(--url "$url")
  [ -z "${TENANTQ_QDRANT_API_KEY:-}" ] || probe_target+=(--api-key "$TENANTQ_QDRANT_API_KEY")
  echo "== using the server at $url"
else
  fifo=$out/devserver.stdout
  rm -f "$fifo" && mkfifo "$fifo"
  "$devserver" --port 0 >"$fifo" 2>"$out/devserver.log" &
  server_pid=$!
  exec 3<"$fifo"
  read -r first <&3 || { echo "demo: the dev server did not start (see $out/devserver.log)" >&2; exit 2; }
  exec 3<&-
  rm -f "$fifo"
  url=${first#listening on }
  echo "== tenantq-devserver $url (pid $server_pid)"
fi

echo
echo "######## 1. kb-assistant: a multi-tenant knowledge assistant on the generated client"
"$top/examples/kb-assistant/demo.sh" "$kb" "$url" --cleanup

echo
echo "######## 2. tenantq-probe: adversarial cross-tenant probes in every placement"
"$probe" --placement all "${probe_target[@]}" --report "$out/probe-report.json" --svg "$out/probe.svg"
echo
echo "report: $out/probe-report.json    chart: $out/probe.svg"
