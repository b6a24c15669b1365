#!/bin/bash
set -u
# Listener flood repro: starts the packaged server under `ulimit -n ${FD_LIMIT:-4096}`, opens ${FLOOD:-4300}
# connections that each send a partial request header, reports /v1/health during the flood and after the flood
# leaves, and whether the listener logged that it stopped. Before the connection cap the listener died for good at
# EMFILE; now health answers again within the read timeout. Needs a packaged server (./continuum build or
# mvn -B -q package -DskipTests), python3 and curl. Writes under ${FLOOD_DIR:-/tmp/continuum-flood}.
cd "$(dirname "$0")/.."
DIR="${FLOOD_DIR:-/tmp/continuum-flood}"
PORT="${PORT:-18932}"
export JAVA_HOME="${JAVA_HOME:-$(./continuum java-home)}"
rm -rf "$DIR" && mkdir -p "$DIR"
(ulimit -n "${FD_LIMIT:-4096}" && CONTINUUM_ADMIN_KEY=flood-admin-key-0123456789abcdef exec "$JAVA_HOME/bin/java" \
    $(cat server/target/classes/continuum-jvm.flags) -jar server/target/continuum-server-0.1.0-SNAPSHOT.jar \
    serve --port "$PORT" --data-dir "$DIR/data" >"$DIR/serve.log" 2>&1) &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT
for _ in $(seq 1 600); do curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/health" && break; sleep 0.2; done
grep -o "accepting at most.*" "$DIR/serve.log"
python3 benchmarks/listener-flood.py "$PORT" "${FLOOD:-4300}"
echo "listener stopped: $(grep -c 'terminating' "$DIR/serve.log") times"
