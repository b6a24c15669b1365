#!/bin/bash
set -u
# Auth flood repro: mints ${IDS:-60} keys, then floods POST /v1/recall with wrong secrets for those known key ids
# (wrk, ${ATTACK_CONNECTIONS:-16} connections for ${SECONDS_:-40} s) while one legitimate client, on a key this
# process has not verified yet, recalls sequentially; prints the legitimate recall and /v1/health latencies
# (p50/p90/max, ms) and the attacker's throughput. JAR selects the server (default: this checkout's package), so the
# same script measures before and after. Needs wrk, curl, python3. Figures: benchmarks/RESULTS.md, "Auth flood".
cd "$(dirname "$0")/.."
JAR="${JAR:-server/target/continuum-server-0.1.0-SNAPSHOT.jar}"
FLAGS_FILE="${FLAGS_FILE:-server/target/classes/continuum-jvm.flags}"
DIR="${FLOOD_DIR:-/tmp/continuum-auth-flood}"
PORT="${PORT:-18933}"
ADMIN=flood-admin-key-0123456789abcdef
export JAVA_HOME="${JAVA_HOME:-$(./continuum java-home)}"
rm -rf "$DIR" && mkdir -p "$DIR"
CONTINUUM_ADMIN_KEY=$ADMIN CONTINUUM_RATE_LIMIT=0 "$JAVA_HOME/bin/java" $(cat "$FLAGS_FILE") -jar "$JAR" \
    serve --port "$PORT" --data-dir "$DIR/data" >"$DIR/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT
for _ in $(seq 1 600); do curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/health" && break; sleep 0.2; done
mint() { curl -s -H "X-API-Key: $ADMIN" -H 'Content-Type: application/json' -d "{\"tenant_id\":\"$1\"}" \
    "http://127.0.0.1:$PORT/v1/keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])'; }
: > "$DIR/ids"
for i in $(seq 1 "${IDS:-60}"); do mint "t$i" | cut -c4-19 >> "$DIR/ids"; done
LEGIT=$(mint legit)
{
    echo 'local ids = {'; sed 's/.*/"&",/' "$DIR/ids"; echo '}'
    cat <<'LUA'
local chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
request = function()
    local secret = {}
    for i = 1, 43 do
        local c = math.random(1, #chars)
        secret[i] = chars:sub(c, c)
    end
    local key = "cm_" .. ids[math.random(1, #ids)] .. "_" .. table.concat(secret)
    return wrk.format("POST", "/v1/recall", {["X-API-Key"] = key, ["Content-Type"] = "application/json"},
        '{"message":"hello"}')
end
LUA
} > "$DIR/attack.lua"
wrk -t2 -c"${ATTACK_CONNECTIONS:-16}" -d"${SECONDS_:-40}s" -s "$DIR/attack.lua" "http://127.0.0.1:$PORT" \
    > "$DIR/wrk.txt" 2>&1 &
WRK=$!
sleep 5
: > "$DIR/legit.txt"; : > "$DIR/health.txt"
end=$(( $(date +%s) + ${SECONDS_:-40} - 10 ))
while [ "$(date +%s)" -lt "$end" ]; do
    curl -s -o /dev/null -m 60 -w '%{http_code} %{time_total}\n' -H "X-API-Key: $LEGIT" \
        -H 'Content-Type: application/json' -d '{"message":"hello"}' "http://127.0.0.1:$PORT/v1/recall" >> "$DIR/legit.txt"
    curl -s -o /dev/null -m 60 -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$PORT/v1/health" >> "$DIR/health.txt"
    sleep 0.2
done
wait $WRK
summary() { python3 - "$1" "$2" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[2]) if l.strip()]
ms = sorted(float(t) * 1000 for _, t in rows)
codes = {}
for c, _ in rows:
    codes[c] = codes.get(c, 0) + 1
q = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))]
print(f"{sys.argv[1]}: n={len(ms)} p50={q(0.5):.1f} ms p90={q(0.9):.1f} ms max={ms[-1]:.1f} ms statuses={codes}")
PY
}
summary "legit recall" "$DIR/legit.txt"
summary "health" "$DIR/health.txt"
grep -E "Requests/sec|Non-2xx" "$DIR/wrk.txt" | sed 's/^ */attacker: /'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); log lines: $(wc -l < "$DIR/serve.log"), $(du -k "$DIR/serve.log" | cut -f1) kB"
