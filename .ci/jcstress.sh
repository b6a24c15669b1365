#!/usr/bin/env bash
# Runs the jcstress tests of concurrency-tests/ (the jar is built by `./continuum test`) in jcstress's sanity mode (a short
# pass over every test and VM configuration; JCSTRESS_MODE=quick or tough for more samples). Fails when any test shows
# an outcome its @Outcome list forbids,
# or when a test could not run. Needs JAVA_HOME (a JDK 21+). Results: concurrency-tests/target/jcstress-results/.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=concurrency-tests/target/jcstress.jar
flags_file=server/target/classes/continuum-jvm.flags
mode="${JCSTRESS_MODE:-sanity}"
[ -f "$jar" ] || { echo "jcstress: $jar is missing; run ./continuum test (or mvn package) first" >&2; exit 1; }
results=concurrency-tests/target/jcstress-results
rm -rf "$results" && mkdir -p "$results"
log="$results/run.log"
# The engine's JVM flags (Agrona's UnsafeBuffer needs jdk.internal.misc) reach every forked test VM; jcstress takes
# them as one space-separated string, so no trailing newline may stay attached to the last flag.
flags="$(tr -s ' \n' ' ' < "$flags_file" | sed 's/^ *//; s/ *$//')"
set +e
"$JAVA_HOME/bin/java" -jar "$jar" -m "$mode" -r "$results" -jvmArgsPrepend "$flags" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# jcstress exits 0 even when no VM configuration could start, so check that it ran every test and failed none.
missing=""
for test in $("$JAVA_HOME/bin/java" -jar "$jar" -l 2>/dev/null | grep -E '^ai\.continuum\.'); do
    [ -f "$results/$test.html" ] || missing="$missing $test"
done
if [ "$rc" -ne 0 ] || [ -n "$missing" ] || ! grep -q 'Failed tests: No matches' "$log" \
        || ! grep -q 'Error tests: No matches' "$log"; then
    echo "jcstress: FAILED (exit $rc; not run:${missing:- none}); see $log and $results/index.html" >&2
    exit 1
fi
echo "jcstress: all tests ran; every observed outcome was acceptable"
