#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) for a bounded time: every @FuzzTest class (*FuzzTest) in engine and server, each in
# a JVM of its own (Jazzer fuzzes one target per JVM), FUZZ_SECONDS each (default 15). A finding fails the run; Jazzer
# saves the input that caused it next to the stored inputs (src/test/resources/.../<Class>Inputs/<method>/), where the
# ordinary test run replays it once it is committed. Without JAZZER_FUZZ the same classes only replay stored inputs.
#   FUZZ_SECONDS=600 bash .ci/fuzz.sh          # the longer run recorded in benchmarks/RESULTS.md
#   FUZZ_TESTS=ImportReaderFuzzTest bash .ci/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-15}"
tests="${FUZZ_TESTS:-*FuzzTest}"
export JAZZER_FUZZ=1
export JAZZER_MAX_DURATION="${seconds}s"
# The corpus a run grows is kept out of the tree (.gitignore); only inputs that matter are committed.
log="$(mktemp)"
status=0
mvn -B -o -pl engine,semantic,server test -Dtest="$tests" -Dsurefire.jazzer.excluded= -Dsurefire.failIfNoSpecifiedTests=false -DreuseForks=false \
    -Dspotless.check.skip=true >"$log" 2>&1 || status=$?
# libFuzzer's closing lines per target (executions, time) and the test verdicts; the whole log on failure.
grep -E "Tests run:|FuzzTestFinding|Done [0-9]+ runs|stat::number_of_executed_units" "$log" || true
if [ "$status" -ne 0 ]; then
    tail -200 "$log"
fi
rm -f "$log"
exit "$status"
