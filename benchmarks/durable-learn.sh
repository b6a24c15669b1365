#!/bin/bash
# Durable learn under many connections (issue 13's table: "durable learn, 64 connections": SQLite >= 10k/s,
# PostgreSQL >= 8k/s), for one or two server builds side by side.
#
# The 100k/500k store (e2e.SeedGraph, tenant "load", seed 42) is seeded once per backend: into $DIR/seed for SQLite,
# into the database continuum_durable_seed for PostgreSQL. Every run starts a fresh service on a fresh copy of it (the
# directory copied, or CREATE DATABASE ... TEMPLATE), mints a key for "load", warms up with wrk at 16 connections for
# WARMUP s, then measures `wrk -t2 -c$CONNECTIONS -d$DURATION` of durable learns (no "async"): every body a distinct turn
# (thread and request number in its text) naming two seeded concepts and one concept every turn shares. The builds run
# in ROUNDS alternating rounds, their order flipped each round, so both see the same machine. Per run it prints the
# rate, p50, p99, non-2xx answers, the service's CPU per learn (user + system from /proc over the measured window) and,
# on SQLite, the bytes it wrote per learn; then per build the median rate.
#
# The warm-up is long because the JIT is: with 8 s of it, on a 2-core host about half as fast as the one before it,
# C2's compiler threads still took 38% of the service's CPU during the measured window and the rate was about half
# the steady one (benchmarks/RESULTS.md, "The log synced beside the next commit").
#
#   benchmarks/durable-learn.sh                                   # this checkout's server jar, SQLite
#   BACKEND=postgresql JARS="before.jar after.jar" benchmarks/durable-learn.sh
#
# Needs a built tree with test and benchmark classes (mvn -B -q -o -pl server,benchmarks -am test-compile package
# -DskipTests), wrk, curl and python3; PostgreSQL on $PGURL for BACKEND=postgresql. Environment: JARS, BACKEND (sqlite),
# ROUNDS (3), DURATION (20), WARMUP (30), CONNECTIONS (64), PORT (18861), DIR (/tmp/continuum-durable-learn), PGURL
# (jdbc:postgresql://127.0.0.1:5432/?user=postgres, the server and its user; the script's databases are its own),
# EXTRA_FLAGS (added to the service's JVM flags, e.g. a flight recording's).
set -euo pipefail
umask 077 # the store holds keys and tenants' data
cd "$(dirname "$0")/.."
JARS="${JARS:-server/target/continuum-server-0.1.0-SNAPSHOT.jar}"
BACKEND="${BACKEND:-sqlite}" ROUNDS="${ROUNDS:-3}" DURATION="${DURATION:-20}" WARMUP="${WARMUP:-30}"
CONNECTIONS="${CONNECTIONS:-64}" PORT="${PORT:-18861}" DIR="${DIR:-/tmp/continuum-durable-learn}"
PGURL="${PGURL:-jdbc:postgresql://127.0.0.1:5432/?user=postgres}"
ADMIN=durable-learn-admin-0123456789abcdef
export JAVA_HOME="${JAVA_HOME:-$(./continuum java-home)}" # its own line: PATH below must see it
export PATH="$JAVA_HOME/bin:$PATH"
for tool in wrk curl python3; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }; done
[ "$BACKEND" = sqlite ] || [ "$BACKEND" = postgresql ] || { echo "BACKEND is sqlite or postgresql" >&2; exit 2; }
FLAGS=$(cat server/target/classes/continuum-jvm.flags)
CP="server/target/classes:$(ls server/target/libs/*.jar | tr '\n' ':')"
TEST_CP="server/target/test-classes:$CP:benchmarks/target/classes"
PG_HOST=$(python3 -c 'import sys, urllib.parse as u; print(u.urlparse(sys.argv[1][5:]).hostname)' "$PGURL")
PG_PORT=$(python3 -c 'import sys, urllib.parse as u; print(u.urlparse(sys.argv[1][5:]).port or 5432)' "$PGURL")
pg_url() { echo "${PGURL/\/\?//$1?}"; } # database -> its JDBC URL
psql_admin() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 -c "$1"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true' EXIT
mkdir -p "$DIR"

# seed once per backend; the seed also writes recall bodies, whose concept names the learns reuse
if [ "$BACKEND" = sqlite ]; then
    if [ ! -f "$DIR/seed/continuum.db" ]; then
        echo "== seeding 100k/500k into $DIR/seed (load $(load))"
        rm -rf "$DIR/seed" && mkdir -p "$DIR/seed"
        java $FLAGS -cp "$TEST_CP" ai.continuum.server.e2e.SeedGraph "$DIR/seed" load 100k/500k 42 "$DIR/bodies.txt"
    fi
elif ! psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d continuum_durable_seed -c 'select 1' >/dev/null 2>&1 ||
    [ ! -f "$DIR/bodies.txt" ]; then
    echo "== seeding 100k/500k into continuum_durable_seed (load $(load))"
    psql_admin 'DROP DATABASE IF EXISTS continuum_durable_seed'
    psql_admin 'CREATE DATABASE continuum_durable_seed'
    java $FLAGS -cp "$TEST_CP" ai.continuum.server.e2e.SeedGraph "$(pg_url continuum_durable_seed)" load 100k/500k 42 \
        "$DIR/bodies.txt"
fi

python3 - "$DIR" <<'PY'
import json, re, sys
out = sys.argv[1]
names = []
for line in open(f"{out}/bodies.txt"):
    m = re.match(r"What do we know about (.*) and (.*)\?", json.loads(line)["message"])
    names.extend(m.groups())
names = sorted(set(names))
with open(f"{out}/learn.lua", "w") as f:
    f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
    f.write('wrk.headers["X-API-Key"] = os.getenv("KEY")\nlocal names = {\n')
    for n in names:
        f.write("  %s,\n" % json.dumps(n))
    f.write('}\nlocal threads = 0\n'
            'function setup(thread) threads = threads + 1; thread:set("id", threads) end\n'
            'local i = 0\n'
            'function request()\n'
            '  i = i + 1\n'
            '  local a, b = names[(i * 7919 + id * 104729) % #names + 1], names[(i * 6151 + id) % #names + 1]\n'
            '  local body = string.format(\'{"user_message": "Should %s depend on %s for the Release Train, '
            'change %d-%d?", "ai_response": "Yes: %s goes first, then %s."}\', a, b, id, i, a, b)\n'
            '  return wrk.format(nil, "/v1/learn", nil, body)\n'
            'end\n'
            'function done(summary, latency, requests)\n'
            '  io.write(string.format("RESULT %.1f %.3f %.3f %d %d\\n", summary.requests / (summary.duration / 1e6),\n'
            '    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests,\n'
            '    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write\n'
            '    + summary.errors.timeout))\n'
            'end\n')
PY

serve() { # jar, data directory or database -> starts the service, sets PID
    local storage=(--data-dir "$2")
    local envs=()
    if [ "$BACKEND" = postgresql ]; then
        storage=(--data-dir "$DIR/pg-data")
        envs=(CONTINUUM_STORAGE_BACKEND=postgresql "CONTINUUM_CONNECTION_STRING=$(pg_url "$2")")
    fi
    env "${envs[@]}" CONTINUUM_ADMIN_KEY=$ADMIN CONTINUUM_RATE_LIMIT=0 CONTINUUM_AUTH_FAILURES_PER_MINUTE=0 \
        java $FLAGS ${EXTRA_FLAGS:-} -jar "$1" serve --host 127.0.0.1 --port "$PORT" "${storage[@]}" >"$DIR/server.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 3000); do
        curl -fsS -o /dev/null "http://127.0.0.1:$PORT/v1/ready" 2>/dev/null && return 0
        kill -0 "$PID" 2>/dev/null || { echo "the service exited; see $DIR/server.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "not ready after 300 s; see $DIR/server.log" >&2
    exit 1
}

read -r -a jars <<<"$JARS"
results="$DIR/results.txt"
: >"$results"
for round in $(seq 1 "$ROUNDS"); do
    order=("${!jars[@]}")
    [ $((round % 2)) -eq 0 ] && order=($(printf '%s\n' "${order[@]}" | sort -rn))
    for b in "${order[@]}"; do
        rm -rf "$DIR/run" "$DIR/pg-data"
        if [ "$BACKEND" = sqlite ]; then
            cp -r "$DIR/seed" "$DIR/run"
            target="$DIR/run"
        else
            psql_admin 'DROP DATABASE IF EXISTS continuum_durable_run'
            psql_admin 'CREATE DATABASE continuum_durable_run TEMPLATE continuum_durable_seed'
            target=continuum_durable_run
        fi
        serve "${jars[$b]}" "$target"
        key=$(curl -fsS -X POST -H "X-API-Key: $ADMIN" -H 'Content-Type: application/json' \
            -d '{"tenant_id": "load", "name": "durable-learn"}' "http://127.0.0.1:$PORT/v1/keys" |
            python3 -c 'import json, sys; print(json.load(sys.stdin)["api_key"])')
        KEY=$key wrk -t2 -c16 -d"${WARMUP}s" -s "$DIR/learn.lua" "http://127.0.0.1:$PORT" >/dev/null
        before_load=$(load)
        cpu0=$(cpu_ticks "$PID")
        io0=$(awk '/^write_bytes/{print $2}' "/proc/$PID/io")
        line=$(KEY=$key wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s -s "$DIR/learn.lua" \
            "http://127.0.0.1:$PORT" | grep '^RESULT')
        cpu1=$(cpu_ticks "$PID")
        io1=$(awk '/^write_bytes/{print $2}' "/proc/$PID/io")
        read -r _ rate p50 p99 n errors <<<"$line"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$b" "$rate" "$p50" "$p99" "$errors" \
            "$(python3 -c "print(round(($cpu1 - $cpu0) * 1e6 / $(getconf CLK_TCK) / max($n, 1)))")" \
            "$(python3 -c "print(round(($io1 - $io0) / 1024 / max($n, 1), 1))")" >>"$results"
        printf 'round %d  %-50s %9s learns/s  p50 %8s ms  p99 %8s ms  non-2xx/errors %s  CPU %s us/learn  write %s KiB/learn  load %s\n' \
            "$round" "${jars[$b]}" "$rate" "$p50" "$p99" "$errors" "$(tail -1 "$results" | cut -f6)" \
            "$(tail -1 "$results" | cut -f7)" "$before_load"
        kill "$PID"
        wait "$PID" 2>/dev/null || true
        PID=""
    done
done
python3 - "$results" "$JARS" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1])]
for b, jar in enumerate(sys.argv[2].split()):
    mine = [r for r in rows if int(r[0]) == b]
    print("%-50s median %.0f learns/s (runs: %s), p99 median %.1f ms, CPU median %s us/learn" % (
        jar, statistics.median(float(r[1]) for r in mine), " / ".join("%.0f" % float(r[1]) for r in mine),
        statistics.median(float(r[3]) for r in mine), statistics.median(int(r[5]) for r in mine)))
PY
