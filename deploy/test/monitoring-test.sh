#!/usr/bin/env bash
# Alerts and dashboards against the real service:
#   1. promtool check rules + promtool test rules (a unit test per alert: fires and does not fire);
#   2. a real Prometheus (Debian's) scrapes a real Continuum (the built jar, serving TLS with a certificate made here,
#      scraped as deploy/monitoring/prometheus.yml says: https, certificate checked) under a short learn/recall load, then every
#      PromQL expression of every dashboard panel and every alert (without its threshold) must return data: the
#      proof that dashboards, alerts and the service agree on metric names and labels.
#   3. federation: a real coordinator (`continuum federation coordinator`, TLS from a PKCS#12 key store, scraped by
#      Prometheus as job federation-coordinator) and two member nodes of two organisations: the server above and a
#      second one on its own SQLite. Both learn the same pair and sync, which releases it (k=2); one unsigned request
#      and one sync past the coordinator's hourly sync limit (2 here) give the refusal and denial series.
# Loopback only; everything it starts is stopped by pid. Needs the server jar (mvn -pl server -am package).
#   deploy/test/monitoring-test.sh     (installs Debian's prometheus when promtool is missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$(date +%s)
if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
    echo "monitoring-test: installing Debian's prometheus (promtool and the server)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
promtool check rules deploy/monitoring/alerts.yml
(cd deploy/monitoring/tests && promtool test rules alerts-test.yml)

JAVA_HOME="${JAVA_HOME:-$(./continuum java-home)}"
JAR=server/target/continuum-server-0.1.0-SNAPSHOT.jar
[ -f "$JAR" ] || { echo "monitoring-test: $JAR missing; build with mvn -pl server -am package" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
api_port=$(free_port); prom_port=$(free_port); coord_port=$(free_port); node_port=$(free_port)
admin="monitoring-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
# A private CA and the server's certificate for the names Prometheus and curl use (continuum, 127.0.0.1).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=monitoring-test-ca -keyout "$work/ca.key" \
    -out "$work/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=continuum -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:continuum,DNS:localhost,IP:127.0.0.1' >"$work/server.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
    -extfile "$work/server.ext" -out "$work/server.pem" 2>/dev/null
# The coordinator's certificate from the same CA, as a PKCS#12 key store (what the coordinator reads).
openssl req -newkey rsa:2048 -nodes -subj /CN=federation-coordinator -keyout "$work/coord.key" -out "$work/coord.csr" 2>/dev/null
printf 'subjectAltName=DNS:federation-coordinator,DNS:localhost,IP:127.0.0.1' >"$work/coord.ext"
openssl x509 -req -in "$work/coord.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
    -extfile "$work/coord.ext" -out "$work/coord.pem" 2>/dev/null
od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$work/coord.pass"
openssl pkcs12 -export -in "$work/coord.pem" -inkey "$work/coord.key" -passout "file:$work/coord.pass" \
    -out "$work/coord.p12"
od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$work/operator-token"
openssl rand -base64 32 >"$work/group.key"     # the members' group key (what continuum federation keygen writes)
chmod 600 "$work/coord.pass" "$work/operator-token" "$work/group.key"

"$JAVA_HOME/bin/java" $(cat server/target/classes/continuum-jvm.flags) -Xmx128m -jar "$JAR" federation coordinator \
    --host 127.0.0.1 --port "$coord_port" --data-dir "$work/coordinator" --tls-keystore "$work/coord.p12" \
    --tls-password-file "$work/coord.pass" --operator-token-file "$work/operator-token" --syncs-per-hour 2 \
    >"$work/coordinator.log" 2>&1 &
pids+=($!)
coord="https://127.0.0.1:$coord_port"
federation_env=(CONTINUUM_FEDERATION_URL="$coord" CONTINUUM_FEDERATION_GROUP_KEY_FILE="$work/group.key"
    CONTINUUM_FEDERATION_CA_FILE="$work/ca.pem" CONTINUUM_FEDERATION_SYNC_INTERVAL_SECONDS=0)
# The second member (organisation beta): plain HTTP on loopback, its own SQLite.
env "${federation_env[@]}" CONTINUUM_API_HOST=127.0.0.1 CONTINUUM_API_PORT=$node_port \
    CONTINUUM_STORAGE_PATH="$work/node-b" CONTINUUM_ADMIN_KEY=$admin \
    "$JAVA_HOME/bin/java" $(cat server/target/classes/continuum-jvm.flags) -Xmx192m -jar "$JAR" serve >"$work/node-b.log" 2>&1 &
pids+=($!)

CONTINUUM_API_HOST=127.0.0.1 CONTINUUM_API_PORT=$api_port CONTINUUM_STORAGE_PATH="$work/data" \
CONTINUUM_ADMIN_KEY=$admin CONTINUUM_RATE_LIMIT=1000000 CONTINUUM_RATE_LIMIT_BURST=100000 \
CONTINUUM_TLS_CERTIFICATE="$work/server.pem" CONTINUUM_TLS_PRIVATE_KEY="$work/server.key" \
    env "${federation_env[@]}" "$JAVA_HOME/bin/java" $(cat server/target/classes/continuum-jvm.flags) -Xmx256m -jar "$JAR" serve >"$work/continuum.log" 2>&1 &
pids+=($!)
sed -e "s|/etc/prometheus/alerts.yml|$PWD/deploy/monitoring/alerts.yml|" -e "s|continuum:8420|127.0.0.1:$api_port|" \
    -e "s|/run/secrets/tls_ca|$work/ca.pem|" \
    -e 's|scrape_interval: 15s|scrape_interval: 2s|' -e 's|evaluation_interval: 15s|evaluation_interval: 2s|' \
    deploy/monitoring/prometheus.yml >"$work/prometheus.yml"
# The coordinator job finds its target by DNS in compose; here it is the coordinator on loopback.
python3 - "$work/prometheus.yml" "127.0.0.1:$coord_port" <<'PY'
import sys, yaml
path, target = sys.argv[1], sys.argv[2]
c = yaml.safe_load(open(path))
job = next(j for j in c["scrape_configs"] if j["job_name"] == "federation-coordinator")
del job["dns_sd_configs"]
job["static_configs"] = [{"targets": [target]}]
yaml.safe_dump(c, open(path, "w"), sort_keys=False)
PY
promtool check config "$work/prometheus.yml" >/dev/null
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)

base="https://127.0.0.1:$api_port"
curl() { command curl --cacert "$work/ca.pem" "$@"; }
for _ in $(seq 1 240); do curl -fsS "$base/v1/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "$base/v1/ready" >/dev/null || { tail -30 "$work/continuum.log" >&2; exit 1; }
api() { curl -sS -o /dev/null -X POST -H "X-API-Key: $admin" -H 'Content-Type: application/json' --data "$2" "$base$1"; }
node_b="http://127.0.0.1:$node_port"
for _ in $(seq 1 240); do curl -fsS "$node_b/v1/ready" >/dev/null 2>&1 && curl -fsS "$coord/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "$coord/ready" >/dev/null || { tail -30 "$work/coordinator.log" >&2; exit 1; }
curl -fsS "$node_b/v1/ready" >/dev/null || { tail -30 "$work/node-b.log" >&2; exit 1; }
# Enrol one node per organisation (operator route) and join each with its single-use token.
enrol() {
    curl -fsS -X POST -H "Authorization: Bearer $(cat "$work/operator-token")" -H 'Content-Type: application/json' \
        --data "{\"org_id\":\"$1\"}" "$coord/federation/admin/enrolments" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["enrolment_token"])'
}
join() {
    curl -fsS -o /dev/null -X POST -H "X-API-Key: $admin" -H 'Content-Type: application/json' \
        --data "{\"enrolment_token\":\"$2\"}" "$1/v1/federation/join"
}
join "$base" "$(enrol acme)"
join "$node_b" "$(enrol beta)"
fsync() { curl -sS -o "$work/sync.json" -w '%{http_code}' -X POST -H "X-API-Key: $admin" "$1/v1/federation/sync"; }
# Load: 20 s of learn and recall, one unauthenticated call (401) and one unknown path (404).
end=$(( $(date +%s) + 20 )); i=0
while [ "$(date +%s)" -lt "$end" ]; do
    i=$((i + 1))
    api /v1/learn "{\"user_message\":\"Team $i moved the Billing Service to PostgreSQL $((i % 3))\",\"ai_response\":\"Noted for team $i.\"}"
    api /v1/recall '{"message":"Where does the Billing Service store data?"}'
done
curl -sS -o /dev/null -X POST "$base/v1/recall" --data '{}'
curl -sS -o /dev/null "$base/v1/no-such-route"
# Federation: beta learns what acme learned; acme and beta sync (two organisations release the pairs, k=2), then
# acme pulls them.
for i in 1 2 3 4 5 6; do
    curl -sS -o /dev/null -X POST -H "X-API-Key: $admin" -H 'Content-Type: application/json' \
        --data "{\"user_message\":\"Team $i moved the Billing Service to PostgreSQL $((i % 3))\",\"ai_response\":\"Noted for team $i.\"}" \
        "$node_b/v1/learn"
done
[ "$(fsync "$base")" = 200 ] || { echo "monitoring-test: acme's sync failed: $(cat "$work/sync.json")" >&2; exit 1; }
[ "$(fsync "$node_b")" = 200 ] || { echo "monitoring-test: beta's sync failed: $(cat "$work/sync.json")" >&2; exit 1; }
[ "$(fsync "$base")" = 200 ] || { echo "monitoring-test: acme's 2nd sync failed: $(cat "$work/sync.json")" >&2; exit 1; }
released=$(curl -fsS "$coord/metrics" | awk '/^continuum_coordinator_released_patterns /{print int($2)}')
[ "${released:-0}" -ge 1 ] || { echo "monitoring-test: no pattern released by two organisations" >&2; exit 1; }
echo "monitoring-test: federation: $released pattern(s) released by acme and beta; acme:" \
    "$(curl -fsS -H "X-API-Key: $admin" "$base/v1/federation/status" | python3 -c 'import json,sys
s = json.load(sys.stdin); c = s.get("coordinator_status", {})
print(s["status"], "as", s["node_id"], "of", s["org_id"], "| last sync", s["last_sync"], "| lag", s["sync_lag_seconds"], "s |",
      s["contributed_patterns"], "contributed | tier", c.get("tier"))')"
# deploy/README.md's checklist line "verify federation connectivity", as written there, against beta (plain HTTP):
# joined, the coordinator answered the node's signed status request, and the last sync is recent.
CONTINUUM_ADMIN_KEY=$admin "$JAVA_HOME/bin/java" $(cat server/target/classes/continuum-jvm.flags) -Xmx64m -jar "$JAR" \
    federation status --url "$node_b" | python3 -c 'import json,sys; s=json.load(sys.stdin); c=s.get("coordinator_status") or {}; sys.exit(0 if s["status"]=="joined" and "error" not in c and (s["sync_lag_seconds"] or 0) < 1800 else 1)' \
    || { echo "monitoring-test: continuum federation status does not show a connected member" >&2; exit 1; }
echo "monitoring-test: continuum federation status: beta is joined and reaches the coordinator"
fsync "$base" >/dev/null   # acme's 3rd sync this hour: 429 rate_limited (coordinator limit 2), a denial on both sides
curl -sS -o /dev/null -X POST "$coord/federation/knowledge" --data '{}'   # unsigned: refused, 401 unsigned_request
sleep 6   # a few more scrapes after the load
# Prometheus scraped over TLS with the certificate checked (a refused certificate would leave the target down).
targets=$(command curl -s "http://127.0.0.1:$prom_port/api/v1/targets" | python3 -c 'import json,sys
t = json.load(sys.stdin)["data"]["activeTargets"]
print(" ".join(sorted(x["labels"]["job"] + "=" + x["scrapeUrl"].split(":")[0] + "," + x["health"] for x in t)))')
[ "$targets" = "continuum=https,up federation-coordinator=https,up" ] \
    || { echo "monitoring-test: Prometheus does not scrape the API and the coordinator over TLS: $targets" >&2; exit 1; }

python3 - "$prom_port" <<'PY'
import json, re, sys, urllib.parse, urllib.request, yaml, glob
port = sys.argv[1]
def query(expr):
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=10) as r:
        body = json.load(r)
    return body["data"]["result"] if body.get("status") == "success" else None
exprs = []
for path in sorted(glob.glob("deploy/monitoring/dashboards/*.json")):
    for panel in json.load(open(path))["panels"]:
        for t in panel.get("targets", []):
            exprs.append((f"{path.split('/')[-1]} / {panel['title']}", t["expr"]))
for group in yaml.safe_load(open("deploy/monitoring/alerts.yml"))["groups"]:
    for rule in group["rules"]:
        # The alert's expression without its final threshold: the series it compares must exist.
        bare = re.sub(r"\s*(==|!=|>=|<=|>|<)\s*[0-9.eE+-]+\s*$", "", rule["expr"])
        exprs.append((f"alert {rule['alert']}", bare))
empty = [(w, e) for w, e in exprs if not query(e)]
for w, e in empty:
    print(f"monitoring-test: NO DATA: {w}: {e}", file=sys.stderr)
print(f"monitoring-test: {len(exprs) - len(empty)}/{len(exprs)} dashboard and alert expressions return data")
sys.exit(1 if empty else 0)
PY
echo "monitoring-test: passed in $(( $(date +%s) - t0 )) s"
