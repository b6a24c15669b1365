#!/usr/bin/env bash
# Cold starts of `continuum serve` (the launcher: AOT cache, JVM flags) on the store DATA, timed from the launcher's
# start to the first 200 of /v1/ready, with the process's CPU time and RSS then, the load average, and the start's
# own restore (or rebuild) line.
#
#   benchmarks/launcher-ready.sh DATA [ROUNDS] [MODES] [ROOT]
#
# MODES: "restore rebuild" (default), or one of them. ROOT: the checkout whose ./continuum runs (default: this one),
# so two builds can alternate on copies of one store in the same sitting. DATA must have a snapshot for restore.
set -euo pipefail
DATA=$1; ROUNDS=${2:-3}; MODES=${3:-"restore rebuild"}
ROOT=${4:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"}
PORT=${PORT:-18731}
LOG=$(mktemp)
for r in $(seq 1 "$ROUNDS"); do for mode in $MODES; do
  [ "$mode" = rebuild ] && restore=false || restore=true
  t0=$(date +%s.%N)
  CONTINUUM_SNAPSHOT_RESTORE=$restore CONTINUUM_SNAPSHOT_INTERVAL_SECONDS=3600 \
    CONTINUUM_ADMIN_KEY=launcher-ready-key-0123456789 \
    "$ROOT/continuum" serve --port "$PORT" --data-dir "$DATA" >"$LOG" 2>&1 &
  pid=$!
  code=000
  for _ in $(seq 1 3000); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v1/ready" || true)
    [ "$code" = 200 ] && break
    sleep 0.02
  done
  wall=$(echo "$(date +%s.%N) - $t0" | bc)
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / hz}' "/proc/$pid/stat")
  rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
  echo "$mode round $r ready=$code wall=${wall} s cpu=${cpu} s rss=${rss}kB load $(cut -d' ' -f1 /proc/loadavg) ::" \
    "$(grep -o 'restored the engine.* in [0-9]* ms (.*indexes [0-9]* ms)\|loaded [0-9]* deltas.*\|snapshot .* not used.*' "$LOG" | head -1)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done; done
rm -f "$LOG"
