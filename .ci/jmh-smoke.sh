#!/usr/bin/env bash
# JMH smoke check for CI: runs every engine benchmark briefly on the 100k/500k graph (one fork each, sample mode so
# that medians are compared: they hardly move when other work preempts the benchmark thread), then compares
# each score, normalised by the calibration score of the same run, with benchmarks/baseline.json. Fails only on a gross
# regression (more than 3x worse; --max-slowdown N to change). Assumes benchmarks/target/benchmarks.jar is built.
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
"$JAVA" -Djmh.ignoreLock=true -jar "$JAR" \
    "$BENCHMARKS" \
    -p graph=100k/500k -bm sample -tu us -f 1 -wi 3 -w 2s -i 3 -r 1s -foe true -rf json -rff "$OUT"
echo "jmh-smoke: benchmarks ran in $(( $(date +%s) - start )) s"

"$JAVA" -cp "$JAR" ai.continuum.benchmarks.smoke.SmokeCheck "$OUT" benchmarks/baseline.json "$@"
