#!/usr/bin/env bash
# Runs the jcstress tests of concurrency-tests/ (the jar is built by `./continuum test`) in jcstress's quick mode with
# a time budget, so CI spends about a minute here. Fails when any test shows an outcome its @Outcome list forbids,
# or when a test could not run. Needs JAVA_HOME (a JDK 21+). Results: concurrency-tests/target/jcstress-results/.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=concurrency-tests/target/jcstress.jar
flags_file=server/target/classes/continuum-jvm.flags
budget="${JCSTRESS_TIME_BUDGET:-60s}"
[ -f "$jar" ] || { echo "jcstress: $jar is missing; run ./continuum test (or mvn package) first" >&2; exit 1; }
results=concurrency-tests/target/jcstress-results
rm -rf "$results" && mkdir -p "$results"
log="$results/run.log"
# The engine's JVM flags (Agrona's UnsafeBuffer needs jdk.internal.misc) reach every forked test VM.
set +e
"$JAVA_HOME/bin/java" -jar "$jar" -m quick -tb "$budget" -r "$results" \
    -jvmArgsPrepend "$(cat "$flags_file")" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ] || grep -Eq '^\s*\[(FAILED|ERROR)\]' "$log" || ! grep -q 'RUN RESULTS' "$log"; then
    echo "jcstress: FAILED (exit $rc); see $log and $results/index.html" >&2
    exit 1
fi
echo "jcstress: every observed outcome was acceptable"
