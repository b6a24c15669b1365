#!/bin/bash
set -u
# Snapshot check: on a seeded SQLite data directory (e2e.SeedGraph), one start that takes a checkpoint 5 s after it is
# ready, then ROUNDS pairs of cold starts timed to the first 200 of /v1/ready: a rebuild from SQL
# (CONTINUUM_SNAPSHOT_RESTORE=false) and a restore from the snapshot. Prints each time with the start log's own line,
# the resident set and the load average. Needs a built tree (mvn -B -q package -DskipTests), curl and bc; seeding
# also needs the test and benchmark classes (mvn -B -q -o -pl server,benchmarks -am test-compile).
# Usage: benchmarks/snapshot-check.sh DATA_DIR [ROUNDS] [SIZE]. With SIZE (100k/500k or 1M/5M) and no database in
# DATA_DIR yet, seeds it first (SeedGraph, tenant "load", seed 42). A snapshot already in DATA_DIR (from an earlier
# run on the same store) is reused, so a second run goes straight to the timed starts (a restore that finds it
# outdated says so in its log line and rebuilds; delete it to take a new one). Every step prints its wall
# time. Figures: benchmarks/RESULTS.md, "Snapshots".
# Each timed start also prints the process's CPU time (user + system, from /proc) at its first 200, which the other
# work on a shared machine inflates far less than the wall time. Optional environment: CLASSES (the server's classes
# directory, default server/target/classes: point it at a copy of an older build to compare two builds in one
# sitting), MODES (the timed starts of a round, default "rebuild restore"), JAVA_OPTS (added JVM options, e.g. the
# launcher's -XX:AOTCache=server/target/continuum.aot).
cd "$(dirname "$0")/.."
DATA=$1; ROUNDS=${2:-2}; SIZE=${3:-}; PORT=${PORT:-18730}
export JAVA_HOME="${JAVA_HOME:-$(./continuum java-home)}" # its own line: PATH below must see it
export PATH="$JAVA_HOME/bin:$PATH"
CLASSES=${CLASSES:-server/target/classes}; MODES=${MODES:-rebuild restore}; JAVA_OPTS=${JAVA_OPTS:-}
CP="$CLASSES:$(ls server/target/libs/*.jar | tr '\n' ':')"
FLAGS=$(cat server/target/classes/continuum-jvm.flags)
T_ALL=$(date +%s)
step() { echo "== $1 ($(( $(date +%s) - T_ALL )) s since the start; load $(cut -d' ' -f1-3 /proc/loadavg))"; }
if [ -n "$SIZE" ] && [ ! -f "$DATA/continuum.db" ]; then
  step "seeding $SIZE into $DATA"
  mkdir -p "$DATA"
  java $FLAGS -cp "server/target/test-classes:$CP:benchmarks/target/classes" ai.continuum.server.e2e.SeedGraph \
    "$DATA" load "$SIZE" 42 "$DATA/bodies.txt" || exit 1
fi
start() { # $1 label, rest env
  local label=$1; shift
  local t0=$(date +%s.%N)
  env "$@" CONTINUUM_ADMIN_KEY=snapshot-check-key-0123456789 java $FLAGS $JAVA_OPTS -cp "$CP" ai.continuum.server.cli.ContinuumCli \
    serve --port $PORT --data-dir "$DATA" > "$DATA/$label.log" 2>&1 &
  PID=$!
  local code=000
  for i in $(seq 1 6000); do
    code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT/v1/ready); [ "$code" = 200 ] && break
    kill -0 $PID 2>/dev/null || break; sleep 0.05
  done
  local wall cpu
  wall=$(echo "$(date +%s.%N) - $t0" | bc)
  # utime and stime, fields 14 and 15 of /proc/PID/stat (after the command name in parentheses), in clock ticks.
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / hz}' /proc/$PID/stat)
  echo "$label ready=$code $wall s cpu=$cpu s rss=$(awk '/VmRSS/{print $2}' /proc/$PID/status) kB" \
    "load $(cut -d' ' -f1-3 /proc/loadavg) :: $(grep -o 'restored the engine.*\|loaded [0-9]* deltas.*' "$DATA/$label.log" | head -1)"
}
stop() { kill $PID; wait $PID 2>/dev/null; }
if [ -f "$DATA/snapshots/engine.snapshot" ]; then
  step "reusing $DATA/snapshots/engine.snapshot ($(stat -c %s "$DATA/snapshots/engine.snapshot") bytes)"
else
  step "start that takes the checkpoint"
  start checkpoint CONTINUUM_SNAPSHOT_RESTORE=false CONTINUUM_SNAPSHOT_INTERVAL_SECONDS=3600
  for i in $(seq 1 2400); do grep -q 'checkpoint: wrote' "$DATA/checkpoint.log" && break; sleep 0.5; done
  grep -o 'checkpoint: wrote.*' "$DATA/checkpoint.log"; stop
fi
step "timed starts"
for r in $(seq 1 "$ROUNDS"); do
  for mode in $MODES; do
    case $mode in
      rebuild) start rebuild$r CONTINUUM_SNAPSHOT_RESTORE=false CONTINUUM_SNAPSHOT_INTERVAL_SECONDS=0; stop ;;
      restore) start restore$r CONTINUUM_SNAPSHOT_INTERVAL_SECONDS=0; stop ;;
      *) echo "unknown mode $mode (rebuild, restore)"; exit 2 ;;
    esac
  done
done
step "done"
