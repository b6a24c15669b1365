#!/usr/bin/env bash
# Fleet figures for benchmarks/RESULTS.md: durable learn throughput with 1, 2 and 3 instances on one PostgreSQL, and
# the replication lag (commit on one instance -> applied by another) while one instance learns at its maximum rate.
# Needs: a local PostgreSQL (trust auth, user postgres), wrk, and built jars (./continuum builds them).
# Usage: benchmarks/fleet-check.sh [seconds per run, default 20]
# Environment:
#   TENANTS=shared (default: every instance learns into one tenant, whose row orders all the fleet's writes)
#          |per-instance (each writing instance learns into its own tenant: commits of the fleet can run in parallel)
#   JAR_DIR=DIR   run the server jar in DIR (continuum-server-*.jar, libs/, continuum-jvm.flags) instead of
#                 ./continuum serve: to compare two builds in one sitting, copy server/target's jar, libs and
#                 classes/continuum-jvm.flags of each build to a directory of its own.
#   PORT_BASE=N   the three instances listen on N, N+1, N+2 (default 18511).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECS="${1:-20}"
DB="continuum_fleet_bench_$$"
ADMIN="fleet-bench-admin-key-0123456789"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
  if [ -n "${KEEP_LOGS:-}" ]; then mkdir -p "$KEEP_LOGS" && cp "$WORK"/*.log "$WORK"/wrk*.txt "$KEEP_LOGS"/ 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $DB" >/dev/null
URL="jdbc:postgresql://127.0.0.1:5432/$DB?user=postgres"
BASE="${PORT_BASE:-18511}"
PORTS=("$BASE" "$((BASE + 1))" "$((BASE + 2))")
if [ -n "${JAR_DIR:-}" ]; then
  JAVA="${JAVA_HOME:-$("$ROOT/continuum" java-home)}/bin/java"
  # shellcheck disable=SC2207
  SERVE=("$JAVA" $(cat "$JAR_DIR/continuum-jvm.flags") -jar "$(ls "$JAR_DIR"/continuum-server-*.jar)" serve)
else
  SERVE=("$ROOT/continuum" serve)
fi
for i in 0 1 2; do
  CONTINUUM_API_PORT="${PORTS[$i]}" CONTINUUM_STORAGE_PATH="$WORK/i$i" CONTINUUM_STORAGE_BACKEND=postgresql \
    CONTINUUM_CONNECTION_STRING="$URL" CONTINUUM_ADMIN_KEY="$ADMIN" CONTINUUM_RATE_LIMIT=0 CONTINUUM_LOG_LEVEL=warn \
    "${SERVE[@]}" >"$WORK/i$i.log" 2>&1 &
  PIDS+=($!)
done
for p in "${PORTS[@]}"; do
  until curl -sf "http://127.0.0.1:$p/v1/ready" >/dev/null; do sleep 0.5; done
done
mint() { # mint TENANT: prints a new key of TENANT
  curl -sf -X POST -H "X-API-Key: $ADMIN" -H 'Content-Type: application/json' \
    -d "{\"tenant_id\":\"$1\",\"name\":\"bench\"}" "http://127.0.0.1:${PORTS[0]}/v1/keys" \
    | sed 's/.*"api_key":"\([^"]*\)".*/\1/'
}
KEYS=()
if [ "${TENANTS:-shared}" = per-instance ]; then
  for i in 0 1 2; do KEYS+=("$(mint "bench$i")"); done
else
  KEY=$(mint bench); KEYS=("$KEY" "$KEY" "$KEY")
fi
# Verify each key once per instance first (PBKDF2, then cached), so no run pays for it.
for p in "${PORTS[@]}"; do for k in "${KEYS[@]}"; do curl -sf -o /dev/null -H "X-API-Key: $k" "http://127.0.0.1:$p/v1/stats"; done; done
for i in 0 1 2; do
cat >"$WORK/learn$i.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "${KEYS[$i]}"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/v1/learn", nil, string.format(
    '{"user_message":"How does the Billing Service %d talk to the Payment Gateway?",' ..
    '"ai_response":"The Billing Service %d calls the Payment Gateway through the Message Bus."}', n % 500, n % 500))
end
LUA
done
run() { # run <instances...>: one wrk per instance at once, prints the summed rate
  local total=0 outs=()
  for i in "$@"; do
    wrk -t1 -c8 --timeout 30s -d"${SECS}s" -s "$WORK/learn$i.lua" "http://127.0.0.1:${PORTS[$i]}" >"$WORK/wrk$i.txt" &
    outs+=($!)
  done
  wait "${outs[@]}"
  for i in "$@"; do
    local r; r=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk$i.txt")
    local non2xx; non2xx=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk$i.txt")
    echo "  instance $i: $r learns/s${non2xx:+ (non-2xx: $non2xx)}"
    total=$(echo "$total + $r" | bc)
  done
  echo "  total: $total learns/s"
}
echo "tenants: ${TENANTS:-shared}; server: ${JAR_DIR:-./continuum serve}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "1 instance writing (3 running):"; run 0
for p in 1 2; do
  echo "  lag on instance $p (commit on 0 -> applied here):"
  curl -sf "http://127.0.0.1:${PORTS[$p]}/metrics" | grep -E '^continuum_sync_apply_delay_seconds' >"$WORK/lag$p.txt"
  grep -E '_count|_max' "$WORK/lag$p.txt" | sed 's/^/    /'
  # p50 and p99 as the upper bound of the histogram bucket that holds them (the buckets are the latency SLOs).
  awk -F'[{}" ]+' '/_count/ {n=$2} /_bucket/ {le[++k]=$3; c[k]=$NF}
    END {for (q = 0; q < 2; q++) {want = (q == 0 ? 0.5 : 0.99) * n
      for (i = 1; i <= k; i++) if (c[i] >= want) {printf "    p%s <= %s s\n", (q == 0 ? "50" : "99"), le[i]; break}}}' \
    "$WORK/lag$p.txt"
done
echo "2 instances writing:"; run 0 1
echo "3 instances writing:"; run 0 1 2
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for p in "${PORTS[@]}"; do
  echo "ready on $p: $(curl -s "http://127.0.0.1:$p/v1/ready")"
done
