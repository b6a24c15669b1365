#!/bin/bash
# HTTP recall against GET /v1/health in the same run, on a word-sharing workload (issue 13's table: "HTTP recall
# against GET /v1/health in the same run, >= 60% of its rate"), for one or two server builds side by side.
#
# Each build gets its own fresh data directory and learns the same TURNS turns over HTTP (one keep-alive client,
# durable learns). Concept names are 2-3 Title-Case pseudo-words drawn Zipf(1.0) from a vocabulary of VOCAB words, so
# names share words ("Kadomir Belosan", "Kadomir Vifaven Tulo") as real names do; each turn names 2-3 of them. Recall
# bodies name 1-3 learned concepts (max_memories left at its default, 5). Each build is then warmed by WARMUP s of the
# same recalls and of health, not measured (a cold first round ran at a third of the warm rate, with p99 100-280 ms,
# and weighed on the medians: benchmarks/RESULTS.md, "Keep-alive connections take turns"). Then, in ROUNDS alternating
# rounds (the builds' order flips each round, so both see the same machine load), wrk runs POST /v1/recall and
# GET /v1/health against each build. Prints every run, then per build the median req/s, p50, p99 and recall / health.
#
#   JARS="before.jar after.jar" benchmarks/recall-http.sh   (default: this checkout's server jar alone)
#
# Environment: JARS, ROUNDS (3), DURATION (15 s), WARMUP (20 s; 0 for none), CONNECTIONS (8), THREADS (2), PORT
# (first port; one per build, default 19401), TURNS (2000), CONCEPTS (4000), VOCAB (600), SENTENCES (0: sentences of
# about 140 characters naming three more concepts each, added to every assistant reply; 15 makes turns of about
# 2.2 KB, as an agent's often are), DIR (/tmp/continuum-recall-http).
set -euo pipefail
cd "$(dirname "$0")/.."
JARS="${JARS:-server/target/continuum-server-0.1.0-SNAPSHOT.jar}"
FLAGS_FILE="${FLAGS_FILE:-server/target/classes/continuum-jvm.flags}"
DIR="${DIR:-/tmp/continuum-recall-http}"
PORT="${PORT:-19401}"
ROUNDS="${ROUNDS:-3}" DURATION="${DURATION:-15}" WARMUP="${WARMUP:-20}"
CONNECTIONS="${CONNECTIONS:-8}" THREADS="${THREADS:-2}"
TURNS="${TURNS:-2000}" CONCEPTS="${CONCEPTS:-4000}" VOCAB="${VOCAB:-600}" SENTENCES="${SENTENCES:-0}"
ADMIN=recall-http-admin-0123456789abcdef
export JAVA_HOME="${JAVA_HOME:-$(./continuum java-home)}"
for tool in wrk curl python3; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }; done
rm -rf "$DIR" && mkdir -p "$DIR"

PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
read -r -a jars <<<"$JARS"
ports=()
for i in "${!jars[@]}"; do
    port=$((PORT + i))
    ports+=("$port")
    # shellcheck disable=SC2046 # the flags file is split into words on purpose
    env CONTINUUM_ADMIN_KEY=$ADMIN CONTINUUM_RATE_LIMIT=0 CONTINUUM_AUTH_FAILURES_PER_MINUTE=0 \
        "$JAVA_HOME/bin/java" $(cat "$FLAGS_FILE") -jar "${jars[$i]}" serve --host 127.0.0.1 --port "$port" \
        --data-dir "$DIR/data$i" >"$DIR/server$i.log" 2>&1 &
    PIDS+=($!)
done

# the workload: turns to learn and recall bodies, the same for every build
python3 - "$DIR" "$TURNS" "$CONCEPTS" "$VOCAB" "$SENTENCES" <<'PY'
import json, random, sys
out, turns, concepts, vocab, sentences = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(20261203)
syl = ["ka", "do", "mir", "be", "lo", "san", "vi", "fa", "ven", "tu", "zo", "ne", "fed", "ki", "pi", "gek", "ra", "mo"]
words = sorted({"".join(rng.choice(syl) for _ in range(3)).capitalize() for _ in range(vocab * 3)})[:vocab]
weights = [1.0 / (r + 1) for r in range(len(words))]  # Zipf(1.0) over the vocabulary
names = set()
while len(names) < concepts:
    names.add(" ".join(rng.choices(words, weights, k=rng.choice([2, 3]))))
names = sorted(names)
rng.shuffle(names)
with open(f"{out}/turns.jsonl", "w") as f:
    for i in range(turns):
        a, b, c = rng.sample(names, 3)
        f.write(json.dumps({"session_id": f"s{i % 50}",
                            "user_message": f"Should {a} depend on {b} for release r{i}?",
                            "ai_response": " ".join([f"I will link {a} with {b}; {c} stays separate for now."] + [
                                f"Yesterday {rng.choice(names)} met {rng.choice(names)} about the budget review, and "
                                f"we agreed to revisit it with {rng.choice(names)} next week."
                                for _ in range(sentences)])}) + "\n")
with open(f"{out}/recall.lua", "w") as f:
    f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
    f.write('wrk.headers["X-API-Key"] = "%s"\nlocal bodies = {\n' % "recall-http-admin-0123456789abcdef")
    for i in range(1000):
        named = rng.sample(names, rng.choice([1, 2, 3]))
        f.write("  %s,\n" % json.dumps(json.dumps({"message": "What do we know about " + " and ".join(named) + "?"})))
    f.write('}\nlocal i = 0\nrequest = function()\n  i = i % #bodies + 1\n'
            '  return wrk.format(nil, "/v1/recall", nil, bodies[i])\nend\n')
PY

for port in "${ports[@]}"; do
    for _ in $(seq 1 1500); do curl -fsS -o /dev/null "http://127.0.0.1:$port/v1/ready" 2>/dev/null && break; sleep 0.2; done
    curl -fsS -o /dev/null "http://127.0.0.1:$port/v1/ready"
    python3 - "$port" "$DIR/turns.jsonl" "$ADMIN" <<'PY'
import http.client, sys, time
port, path, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
conn = http.client.HTTPConnection("127.0.0.1", port)
start = time.time()
for n, line in enumerate(open(path), 1):
    conn.request("POST", "/v1/learn", line.encode(), {"Content-Type": "application/json", "X-API-Key": key})
    r = conn.getresponse(); r.read()
    if r.status != 200:
        sys.exit(f"learn {n} on port {port}: {r.status}")
print(f"port {port}: learned {n} turns in {time.time() - start:.1f} s")
PY
done

: >"$DIR/results.tsv"
measure() { # round build port case
    local extra=() path=/v1/health
    if [ "$4" = recall ]; then extra=(-s "$DIR/recall.lua"); path=""; fi
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "${extra[@]}" "http://127.0.0.1:$3$path" \
        | python3 benchmarks/wrk-row.py "$1" "$2" "$4" | tee -a "$DIR/results.tsv"
}
if [ "$WARMUP" -gt 0 ]; then
    for port in "${ports[@]}"; do
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$DIR/recall.lua" "http://127.0.0.1:$port" >/dev/null
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$(( (WARMUP + 3) / 4 ))s" "http://127.0.0.1:$port/v1/health" >/dev/null
    done
fi
echo -e "round\tbuild\tcase\treq/s\tp50 ms\tp99 ms\tnon-2xx\tsocket errors\tload"
for round in $(seq 1 "$ROUNDS"); do
    order=("${!jars[@]}")
    if [ $((round % 2)) = 0 ]; then order=($(printf '%s\n' "${order[@]}" | sort -rn)); fi
    for i in "${order[@]}"; do
        for case_ in recall health; do measure "$round" "$i" "${ports[$i]}" "$case_"; done
    done
done
python3 - "$DIR/results.tsv" "$JARS" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
jars = sys.argv[2].split()
print(f"\nmedians over {len(set(r[0] for r in rows))} rounds (min-max in brackets)")
for b, jar in enumerate(jars):
    med = {}
    for case in ["recall", "health"]:
        sel = [r for r in rows if r[1] == str(b) and r[2] == case]
        rps = [float(r[3]) for r in sel]; p50 = [float(r[4]) for r in sel]; p99 = [float(r[5]) for r in sel]
        med[case] = statistics.median(rps)
        print(f"build {b} ({jar}) {case:7} {med[case]:8.0f} req/s [{min(rps):.0f}-{max(rps):.0f}]  "
              f"p50 {statistics.median(p50):.2f} ms [{min(p50):.2f}-{max(p50):.2f}]  "
              f"p99 {statistics.median(p99):.2f} ms [{min(p99):.2f}-{max(p99):.2f}]")
    ratios = [float(r[3]) / float(h[3]) for r in rows for h in rows
              if r[0] == h[0] and r[1] == h[1] == str(b) and r[2] == "recall" and h[2] == "health"]
    print(f"build {b} recall / health, per round: {' '.join(f'{x:.2f}' for x in ratios)}; "
          f"of the medians {med['recall'] / med['health']:.2f}")
print("load average during the rounds:", sorted(set(r[8] for r in rows))[0], "...", sorted(set(r[8] for r in rows))[-1])
PY
echo "command: JARS=\"$JARS\" ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS" \
    "THREADS=$THREADS TURNS=$TURNS SENTENCES=$SENTENCES benchmarks/recall-http.sh; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
