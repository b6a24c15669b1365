#!/bin/bash
set -u
# Resident memory of the server around one large gzip import (issue 9 item 11's repro): builds a gzip export document
# of ${MEMORIES:-20} memories of ${MIB:-60} MiB of text each (about 1.2 MB compressed), starts the packaged server,
# posts the document to the admin import route, and samples the server's VmRSS from /proc every 0.2 s: before the
# import, the peak (VmHWM), and ${SETTLE:-10} s after the answer. Before the per-memory size limit was read while
# parsing, this import took RSS from 398 MB to 7.3 GB, which stayed at 6.1 GB; now it is refused with 413 while the
# first memory is read.
#   bash benchmarks/import-rss.sh                       # the current build (mvn -B -q package -DskipTests)
#   JAR=/other/checkout/server/target/continuum-server-0.1.0-SNAPSHOT.jar bash benchmarks/import-rss.sh
# Writes under ${RSS_DIR:-/tmp/continuum-import-rss}; PORT (default 18531) must be free. Needs python3 and curl.
cd "$(dirname "$0")/.."
DIR="${RSS_DIR:-/tmp/continuum-import-rss}"
PORT="${PORT:-18531}"
JAR="${JAR:-server/target/continuum-server-0.1.0-SNAPSHOT.jar}"
FLAGS="${FLAGS:-$(dirname "$JAR")/classes/continuum-jvm.flags}"
KEY=rss-admin-key-0123456789abcdef0123
export JAVA_HOME="${JAVA_HOME:-$(./continuum java-home)}"
rm -rf "$DIR" && mkdir -p "$DIR"

python3 - "$DIR/document.json.gz" "${MEMORIES:-20}" "${MIB:-60}" <<'EOF'
import gzip, sys
path, count, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
chunk = "remember this " * 4681  # 65,534 characters
with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
    out.write('{"format": "continuum-export", "version": 1, "exported_at": "2026-12-03T00:00:00Z", '
              '"product_version": "0.1.0", "includes_memories": true, "tenants": [{"tenant": "rss", "memories": [\n')
    for i in range(count):
        out.write('{"aiText": "noted", "concepts": [], "id": %d, "metadata": "{}", "sessionId": "s", '
                  '"thinking": "", "timeMillis": 1790000000000, "userText": "' % (i + 1))
        for _ in range(mib * 16):  # 16 chunks of 65,534 characters per MiB, near enough
            out.write(chunk)
        out.write('"}%s\n' % ("," if i + 1 < count else ""))
    out.write(']}], "tenant_count": 1}\n')
EOF
echo "document: $(stat -c %s "$DIR/document.json.gz") bytes gzip, ${MEMORIES:-20} memories of ${MIB:-60} MiB"

# shellcheck disable=SC2046 # the flags file holds space-separated JVM options
CONTINUUM_ADMIN_KEY="$KEY" "$JAVA_HOME/bin/java" $(cat "$FLAGS") ${JAVA_OPTS:-} -jar "$JAR" \
    serve --port "$PORT" --data-dir "$DIR/data" >"$DIR/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT
for _ in $(seq 1 900); do curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/ready" && break; sleep 0.2; done
sleep 5
rss() { awk -v f="$1" '$1 == f":" {printf "%d", $2 / 1024}' "/proc/$PID/status"; }
echo "before import: VmRSS $(rss VmRSS) MiB (VmHWM $(rss VmHWM) MiB)"

(while kill -0 "$PID" 2>/dev/null; do echo "$(date +%s.%N) $(rss VmRSS)"; sleep 0.2; done) >"$DIR/samples" &
SAMPLER=$!
START=$(date +%s.%N)
STATUS=$(curl -s -o "$DIR/answer.json" -w '%{http_code}' -X POST -H "X-API-Key: $KEY" \
    -H 'Content-Type: application/gzip' --data-binary @"$DIR/document.json.gz" \
    "http://127.0.0.1:$PORT/v1/admin/import?mode=merge")
END=$(date +%s.%N)
echo "answer: HTTP $STATUS after $(echo "$END - $START" | bc) s: $(head -c 300 "$DIR/answer.json")"
echo "peak during import: VmHWM $(rss VmHWM) MiB (highest 0.2 s sample $(awk '{print $2}' "$DIR/samples" | sort -n | tail -1) MiB)"
sleep "${SETTLE:-10}"
echo "${SETTLE:-10} s after the answer: VmRSS $(rss VmRSS) MiB"
kill "$SAMPLER" 2>/dev/null
