#!/usr/bin/env bash
# JMH smoke check for CI: runs every engine benchmark briefly on the 100k/500k graph (one fork each, sample mode so
# that medians are compared: they hardly move when other work preempts the benchmark thread), then compares
# each score, normalised by the calibration score of the same run, with benchmarks/baseline.json. Fails only on a gross
# regression (more than 3x worse; --max-slowdown N to change), and only when it is still that slow when measured
# again: whatever fails is re-run (JMH_SMOKE_RETRIES times, default 1) with a fresh calibration, and SmokeCheck counts
# each benchmark's best run. One unlucky run on a busy machine is not a regression (at load average 11,
# LearnBenchmark.prepare once came out 3.1x slower with no code change). Assumes benchmarks/target/benchmarks.jar.
# Warm-up is the larger share (3x2 s): under load the JIT compiler threads are starved, and a short warm-up then
# measures half-compiled code.
#
#   .ci/jmh-smoke.sh                   run and check
#   .ci/jmh-smoke.sh --write-baseline  run and make this run the committed baseline
set -euo pipefail
cd "$(dirname "$0")/.."

java_bin() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        echo "$JAVA_HOME/bin/java"
    else
        command -v java || true
    fi
}
JAVA=$(java_bin)
if [ -z "$JAVA" ]; then
    echo "jmh-smoke: no java found; set JAVA_HOME to a JDK 21 or newer" >&2
    exit 2
fi
feature=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${feature:-0}" -lt 21 ]; then
    echo "jmh-smoke: $JAVA is Java ${feature:-?}; set JAVA_HOME to a JDK 21 or newer" >&2
    exit 2
fi

JAR=benchmarks/target/benchmarks.jar
if [ ! -f "$JAR" ]; then
    echo "jmh-smoke: $JAR is missing; build it with: mvn -B -pl engine,benchmarks -am package -DskipTests" >&2
    exit 2
fi
OUT=${JMH_SMOKE_OUT:-benchmarks/target/jmh-smoke.json}
mkdir -p "$(dirname "$OUT")"

start=$(date +%s)
# The engine benchmarks only; the on-heap baselines are for people reading RESULTS.md, not for regressions.
BENCHMARKS='CalibrationBenchmark\.calibrate$'
BENCHMARKS+='|RecallBenchmark\.(recall|recallConceptsOnly|resonate)$'
BENCHMARKS+='|LearnBenchmark\.(learn|prepare)$'
# jmh.ignoreLock: another JMH run on the machine (a second CI job) must not fail this one; the medians and the 3x
# margin absorb the shared CPU.
run_jmh() { # <include pattern> <result file>
    "$JAVA" -Djmh.ignoreLock=true -jar "$JAR" \
        "$1" \
        -p graph=100k/500k -bm sample -tu us -f 1 -wi 3 -w 2s -i 3 -r 1s -foe true -rf json -rff "$2"
}
run_jmh "$BENCHMARKS" "$OUT"
echo "jmh-smoke: benchmarks ran in $(( $(date +%s) - start )) s (load average $(cut -d' ' -f1-3 /proc/loadavg))"

check() { # <result file>...
    "$JAVA" -cp "$JAR" ai.continuum.benchmarks.smoke.SmokeCheck "$@" benchmarks/baseline.json \
        --failed "$FAILED" "${ARGS[@]}"
}
ARGS=("$@")
FAILED="${OUT%.json}-failed.txt"
RUNS=("$OUT")
retries=${JMH_SMOKE_RETRIES:-1}
for arg in "$@"; do
    [ "$arg" = "--write-baseline" ] && retries=0
done
attempt=0
while true; do
    status=0
    check "${RUNS[@]}" || status=$?
    if [ "$status" -ne 1 ] || [ "$attempt" -ge "$retries" ]; then
        exit "$status"
    fi
    attempt=$((attempt + 1))
    again="${OUT%.json}-retry$attempt.json"
    echo "jmh-smoke: re-running what failed ($(cat "$FAILED")) at load average $(cut -d' ' -f1-3 /proc/loadavg)"
    run_jmh "CalibrationBenchmark\.calibrate\$|$(cat "$FAILED")" "$again"
    RUNS+=("$again")
done
