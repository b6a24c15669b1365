#!/bin/bash
# One agent's latency (issue 13, item 6): a single keep-alive client sending one request at a time, as an agent calling
# learn and recall in turn does. For each store, starts the service (the launcher's JVM flags, the server jar), mints a
# key for the store's tenant, then runs e2e.SequentialLatency (a plain-socket Java client, TCP_NODELAY, one write per
# request: p50 / p90 / p99 / max and the median's range over five slices) for GET /v1/health (the yardstick), recall
# (max_memories 5), durable learn and async learn; then the same recall and durable learn with curl (one process,
# sequential transfers on one connection, the first 50 dropped) for comparison. Prints the load average at each step.
#
#   benchmarks/sequential-latency.sh                   # a small store (the learns of the run itself) and 100k/500k
#   STORES=small benchmarks/sequential-latency.sh      # the small store alone
#
# Needs a built tree with test and benchmark classes (mvn -B -q -o -pl server,benchmarks -am test-compile package
# -DskipTests), curl and python3. The 100k/500k store is seeded once into $DIR/seed (SeedGraph, tenant "load", seed 42)
# and copied fresh for each run. Environment: STORES ("small 100k/500k"), COUNT (2000 requests per case, after a
# warm-up of at least 4,000), CURL_COUNT (300), PORT (18761), DIR (/tmp/continuum-sequential). Figures:
# benchmarks/RESULTS.md, "Quiet figures of the evening" and "One agent at 100k/500k, warm".
set -euo pipefail
cd "$(dirname "$0")/.."
STORES="${STORES:-small 100k/500k}" COUNT="${COUNT:-2000}" CURL_COUNT="${CURL_COUNT:-300}"
PORT="${PORT:-18761}" DIR="${DIR:-/tmp/continuum-sequential}"
ADMIN=sequential-latency-admin-0123456789
export JAVA_HOME="${JAVA_HOME:-$(./continuum java-home)}" # its own line: PATH below must see it
export PATH="$JAVA_HOME/bin:$PATH"
for tool in curl python3; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }; done
FLAGS=$(cat server/target/classes/continuum-jvm.flags)
CP="server/target/classes:$(ls server/target/libs/*.jar | tr '\n' ':')"
TEST_CP="server/target/test-classes:$CP:benchmarks/target/classes"
load() { cut -d' ' -f1-3 /proc/loadavg; }
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true' EXIT

serve() { # data directory
    env CONTINUUM_ADMIN_KEY=$ADMIN CONTINUUM_RATE_LIMIT=0 CONTINUUM_AUTH_FAILURES_PER_MINUTE=0 \
        java $FLAGS -cp "$CP" ai.continuum.server.cli.ContinuumCli serve --host 127.0.0.1 --port "$PORT" \
        --data-dir "$1" >"$1.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 3000); do
        curl -fsS -o /dev/null "http://127.0.0.1:$PORT/v1/ready" 2>/dev/null && return 0
        kill -0 "$PID" 2>/dev/null || { echo "the service exited; see $1.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "not ready after 300 s; see $1.log" >&2
    exit 1
}

mint() { # tenant -> prints the key
    curl -fsS -X POST -H "X-API-Key: $ADMIN" -H 'Content-Type: application/json' \
        -d "{\"tenant_id\": \"$1\", \"name\": \"sequential-latency\"}" "http://127.0.0.1:$PORT/v1/keys" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["api_key"])'
}

curl_loop() { # key, path, body template with %d -> prints p50 and p99 in ms
    local args=()
    for i in $(seq "$CURL_COUNT"); do
        # shellcheck disable=SC2059 # the template holds the request's number
        args+=(-H "X-API-Key: $1" -H 'Content-Type: application/json' -d "$(printf "$3" "$i")" -o /dev/null
            -w '%{time_total}\n' "http://127.0.0.1:$PORT$2" --next)
    done
    curl -s "${args[@]}" -o /dev/null "http://127.0.0.1:$PORT/v1/health" | tail -n +51 | sort -n |
        awk '{v[NR] = $1 * 1000} END {printf "curl: n %d, p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
            NR, v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1], v[NR]}'
}

for store in $STORES; do
    run="$DIR/run-${store//\//-}"
    rm -rf "$run"
    mkdir -p "$DIR"
    if [ "$store" = small ]; then
        tenant=small
        bodies=""
        mkdir -p "$run"
    else
        tenant=load
        seed="$DIR/seed-${store//\//-}"
        if [ ! -f "$seed/continuum.db" ]; then
            echo "== seeding $store into $seed (load $(load))"
            mkdir -p "$seed"
            java $FLAGS -cp "$TEST_CP" ai.continuum.server.e2e.SeedGraph "$seed" load "$store" 42 "$seed/bodies.txt"
        fi
        cp -r "$seed" "$run"
        bodies="$run/bodies.txt"
    fi
    serve "$run"
    key=$(mint "$tenant")
    echo "== store $store, service pid $PID, ready; RSS $(awk '/VmRSS/{print $2}' /proc/$PID/status) kB"
    for mode in health learn learn-async recall; do
        echo "-- $mode, load $(load)"
        # without a bodies file every request names Alpha and Beta, which the small store's learns taught
        java -cp "$TEST_CP" ai.continuum.server.e2e.SequentialLatency "$PORT" "$key" "$mode" "$COUNT" ${bodies:+"$bodies"}
    done
    echo "-- curl recall, load $(load)"
    curl_loop "$key" /v1/recall '{"message": "What do we know about Alpha and Beta? (%d)", "max_memories": 5}'
    echo "-- curl durable learn, load $(load)"
    curl_loop "$key" /v1/learn '{"user_message": "Should Alpha depend on Beta for release c%d?", "ai_response": "I will link them."}'
    kill "$PID"
    wait "$PID" 2>/dev/null || true
    PID=""
done
