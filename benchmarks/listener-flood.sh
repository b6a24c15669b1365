#!/bin/bash
set -u
# Listener flood repro: starts the packaged server under `prlimit --nofile=${FD_LIMIT:-4096}`, opens ${FLOOD:-4300}
# connections that each send a partial request header and holds them, and reports how many were refused with a 503
# (and how soon), /v1/health during the flood and after it leaves, and whether the listener logged that it stopped.
# Needs a packaged server (./continuum build or mvn -B -q package -DskipTests), python3, prlimit and curl. JAR_DIR
# points at another build's server/target (for a before/after). LOWER_TO=N lowers the running server's limit to N
# after it started (prlimit --pid), below the connection cap it computed: the flood then meets EMFILE, Helidon's
# listener stops, and the listener watchdog must end the process (status 70) rather than leave it up deaf.
# Writes under ${FLOOD_DIR:-/tmp/continuum-flood}.
cd "$(dirname "$0")/.."
DIR="${FLOOD_DIR:-/tmp/continuum-flood}"
PORT="${PORT:-18932}"
JAR_DIR="${JAR_DIR:-server/target}"
export JAVA_HOME="${JAVA_HOME:-$(./continuum java-home)}"
rm -rf "$DIR" && mkdir -p "$DIR"
CONTINUUM_ADMIN_KEY=flood-admin-key-0123456789abcdef prlimit --nofile="${FD_LIMIT:-4096}" "$JAVA_HOME/bin/java" \
    $(cat "$JAR_DIR/classes/continuum-jvm.flags" 2>/dev/null || cat "$JAR_DIR/continuum-jvm.flags") \
    -jar "$JAR_DIR/continuum-server-0.1.0-SNAPSHOT.jar" \
    serve --port "$PORT" --data-dir "$DIR/data" >"$DIR/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT
for _ in $(seq 1 600); do curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/health" && break; sleep 0.2; done
if [ -n "${LOWER_TO:-}" ]; then prlimit --pid "$PID" --nofile="$LOWER_TO"; fi
echo "server descriptor limit: $(prlimit --pid $PID --nofile --noheadings --output SOFT)"
grep -o "accepting at most.*" "$DIR/serve.log"
python3 benchmarks/listener-flood.py "$PORT" "${FLOOD:-4300}"
sleep "${SETTLE:-12}"
echo "listener stopped: $(grep -c 'terminating' "$DIR/serve.log") times; process alive: $(kill -0 $PID 2>/dev/null && echo yes || echo no)"
if ! kill -0 $PID 2>/dev/null; then wait $PID; echo "process exit status: $?"; grep -o "the API listener on .*" "$DIR/serve.log"; fi
