#!/bin/bash
# TLS overhead of the API listener: the same server build run twice side by side, one on plain HTTP and one on
# in-process TLS (server.tls.*, an RSA 2048 certificate as cert-manager issues by default), each on its own copy of the
# same small data set, measured with wrk in alternating rounds so that both see the same machine load:
#   recall       POST /v1/recall, keep-alive connections (TLS costs record encryption only)
#   health       GET /v1/health, keep-alive (the smallest request: the listener's own cost)
#   health-new   GET /v1/health with "Connection: close" (a TLS handshake per request)
# Prints per round and, at the end, the median requests/s and p50/p99 latency of each, their spread (min-max over the
# rounds) and the HTTPS/HTTP ratio of the medians, plus the load average. Figures: benchmarks/RESULTS.md, "TLS overhead".
#
#   benchmarks/tls-overhead.sh     (after mvn -pl server -am package -DskipTests; needs wrk, curl, openssl, python3)
#
# Environment: JAR (default this checkout's package), ROUNDS (3), DURATION (20 s), CONNECTIONS (8), THREADS (2),
# PORT (18210; PORT+1 is the TLS server), LEARNS (300), DIR (/tmp/continuum-tls-overhead).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR="${JAR:-server/target/continuum-server-0.1.0-SNAPSHOT.jar}"
FLAGS_FILE="${FLAGS_FILE:-server/target/classes/continuum-jvm.flags}"
DIR="${DIR:-/tmp/continuum-tls-overhead}"
PORT="${PORT:-18210}"
TLS_PORT=$((PORT + 1))
ROUNDS="${ROUNDS:-3}" DURATION="${DURATION:-20}" CONNECTIONS="${CONNECTIONS:-8}" THREADS="${THREADS:-2}"
LEARNS="${LEARNS:-300}"
ADMIN=tls-overhead-admin-0123456789abcdef
export JAVA_HOME="${JAVA_HOME:-$(./continuum java-home)}"
for tool in wrk curl openssl python3; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }; done
[ -f "$JAR" ] || { echo "no $JAR: mvn -pl server -am package -DskipTests first" >&2; exit 1; }
rm -rf "$DIR" && mkdir -p "$DIR/tls"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bench-ca -keyout "$DIR/tls/ca.key" \
    -out "$DIR/tls/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout "$DIR/tls/tls.key" -out "$DIR/tls/tls.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1' >"$DIR/tls/tls.ext"
openssl x509 -req -in "$DIR/tls/tls.csr" -CA "$DIR/tls/ca.crt" -CAkey "$DIR/tls/ca.key" -CAcreateserial -days 2 \
    -extfile "$DIR/tls/tls.ext" -out "$DIR/tls/tls.crt" 2>/dev/null

PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
serve() { # name port [tls]
    local env=(CONTINUUM_ADMIN_KEY=$ADMIN CONTINUUM_RATE_LIMIT=0 CONTINUUM_AUTH_FAILURES_PER_MINUTE=0)
    [ "${3:-}" = tls ] && env+=(CONTINUUM_TLS_CERTIFICATE="$DIR/tls/tls.crt" CONTINUUM_TLS_PRIVATE_KEY="$DIR/tls/tls.key")
    # shellcheck disable=SC2046 # the flags file is split into words on purpose
    env "${env[@]}" "$JAVA_HOME/bin/java" $(cat "$FLAGS_FILE") -jar "$JAR" serve --host 127.0.0.1 --port "$2" \
        --data-dir "$DIR/$1" >"$DIR/$1.log" 2>&1 &
    PIDS+=($!)
}
serve http "$PORT"
serve https "$TLS_PORT" tls
CURL=(curl -fsS --cacert "$DIR/tls/ca.crt" -H "X-API-Key: $ADMIN" -H 'Content-Type: application/json')
for url in "http://127.0.0.1:$PORT" "https://127.0.0.1:$TLS_PORT"; do
    for _ in $(seq 1 900); do "${CURL[@]}" -o /dev/null "$url/v1/ready" 2>/dev/null && break; sleep 0.2; done
    "${CURL[@]}" -o /dev/null "$url/v1/ready"
    # The same data on both: the quick-start shape, services linked to queues and caches.
    for i in $(seq 1 "$LEARNS"); do
        "${CURL[@]}" -o /dev/null -d "{\"user_message\":\"Service s$i talks to queue q$((i % 17)) and cache c$((i % 5))\",\"ai_response\":\"Noted: s$i uses q$((i % 17)).\"}" "$url/v1/learn"
    done
done
cat >"$DIR/recall.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "$ADMIN"
local i = 0
request = function()
  i = i % $LEARNS + 1
  return wrk.format(nil, "/v1/recall", nil, '{"message":"what does s' .. i .. ' use"}')
end
LUA

: >"$DIR/results.tsv"
measure() { # round case protocol url
    local extra=()
    case "$2" in
        recall) extra=(-s "$DIR/recall.lua") ;;
        health-new) extra=(-H "Connection: close") ;;
    esac
    local path=/v1/health
    [ "$2" = recall ] && path=""
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "${extra[@]}" "$4$path" \
        | python3 benchmarks/wrk-row.py "$1" "$2" "$3" | tee -a "$DIR/results.tsv"
}
echo -e "round\tcase\tprotocol\treq/s\tp50 ms\tp99 ms\tnon-2xx\tsocket errors\tload"
for round in $(seq 1 "$ROUNDS"); do
    for case_ in recall health health-new; do
        if [ $((round % 2)) = 1 ]; then order="http https"; else order="https http"; fi
        for proto in $order; do
            if [ "$proto" = http ]; then url="http://127.0.0.1:$PORT"; else url="https://127.0.0.1:$TLS_PORT"; fi
            measure "$round" "$case_" "$proto" "$url"
        done
    done
done
python3 - "$DIR/results.tsv" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print(f"\nmedians over {len(set(r[0] for r in rows))} rounds (min-max in brackets)")
for case in ["recall", "health", "health-new"]:
    med = {}
    for proto in ["http", "https"]:
        sel = [r for r in rows if r[1] == case and r[2] == proto]
        rps = [float(r[3]) for r in sel]; p50 = [float(r[4]) for r in sel]; p99 = [float(r[5]) for r in sel]
        med[proto] = statistics.median(rps)
        print(f"{case:10} {proto:5} {statistics.median(rps):8.0f} req/s [{min(rps):.0f}-{max(rps):.0f}]  "
              f"p50 {statistics.median(p50):.2f} ms [{min(p50):.2f}-{max(p50):.2f}]  "
              f"p99 {statistics.median(p99):.2f} ms [{min(p99):.2f}-{max(p99):.2f}]")
    print(f"{case:10} https/http throughput {med['https'] / med['http']:.2f}")
print("load average during the rounds:", sorted(set(r[8] for r in rows))[0], "...", sorted(set(r[8] for r in rows))[-1])
PY
echo "command: ROUNDS=$ROUNDS DURATION=$DURATION CONNECTIONS=$CONNECTIONS THREADS=$THREADS benchmarks/tls-overhead.sh;" \
    "load average now $(cut -d' ' -f1-3 /proc/loadavg)"
