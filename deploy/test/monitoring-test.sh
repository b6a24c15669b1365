#!/usr/bin/env bash
# Alerts and dashboards against the real service:
#   1. promtool check rules + promtool test rules (a unit test per alert: fires and does not fire);
#   2. a real Prometheus (Debian's) scrapes a real Continuum (the built jar, serving TLS with a certificate made here,
#      scraped as deploy/monitoring/prometheus.yml says: https, certificate checked) under a short learn/recall load, then every
#      PromQL expression of every dashboard panel and every alert (without its threshold) must return data: the
#      proof that dashboards, alerts and the service agree on metric names and labels.
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
api_port=$(free_port); prom_port=$(free_port)
admin="monitoring-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
# A private CA and the server's certificate for the names Prometheus and curl use (continuum, 127.0.0.1).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=monitoring-test-ca -keyout "$work/ca.key" \
    -out "$work/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=continuum -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:continuum,DNS:localhost,IP:127.0.0.1' >"$work/server.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
    -extfile "$work/server.ext" -out "$work/server.pem" 2>/dev/null

CONTINUUM_API_HOST=127.0.0.1 CONTINUUM_API_PORT=$api_port CONTINUUM_STORAGE_PATH="$work/data" \
CONTINUUM_ADMIN_KEY=$admin CONTINUUM_RATE_LIMIT=1000000 CONTINUUM_RATE_LIMIT_BURST=100000 \
CONTINUUM_TLS_CERTIFICATE="$work/server.pem" CONTINUUM_TLS_PRIVATE_KEY="$work/server.key" \
    "$JAVA_HOME/bin/java" $(cat server/target/classes/continuum-jvm.flags) -Xmx256m -jar "$JAR" serve >"$work/continuum.log" 2>&1 &
pids+=($!)
sed -e "s|/etc/prometheus/alerts.yml|$PWD/deploy/monitoring/alerts.yml|" -e "s|continuum:8420|127.0.0.1:$api_port|" \
    -e "s|/run/secrets/tls_ca|$work/ca.pem|" \
    -e 's|scrape_interval: 15s|scrape_interval: 2s|' -e 's|evaluation_interval: 15s|evaluation_interval: 2s|' \
    deploy/monitoring/prometheus.yml >"$work/prometheus.yml"
promtool check config "$work/prometheus.yml" >/dev/null
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)

base="https://127.0.0.1:$api_port"
curl() { command curl --cacert "$work/ca.pem" "$@"; }
for _ in $(seq 1 240); do curl -fsS "$base/v1/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "$base/v1/ready" >/dev/null || { tail -30 "$work/continuum.log" >&2; exit 1; }
api() { curl -sS -o /dev/null -X POST -H "X-API-Key: $admin" -H 'Content-Type: application/json' --data "$2" "$base$1"; }
# Load: 20 s of learn and recall, one unauthenticated call (401) and one unknown path (404).
end=$(( $(date +%s) + 20 )); i=0
while [ "$(date +%s)" -lt "$end" ]; do
    i=$((i + 1))
    api /v1/learn "{\"user_message\":\"Team $i moved the Billing Service to PostgreSQL $((i % 3))\",\"ai_response\":\"Noted for team $i.\"}"
    api /v1/recall '{"message":"Where does the Billing Service store data?"}'
done
curl -sS -o /dev/null -X POST "$base/v1/recall" --data '{}'
curl -sS -o /dev/null "$base/v1/no-such-route"
sleep 6   # a few more scrapes after the load
# Prometheus scraped over TLS with the certificate checked (a refused certificate would leave the target down).
[ "$(command curl -s "http://127.0.0.1:$prom_port/api/v1/targets" | python3 -c 'import json,sys; t=json.load(sys.stdin)["data"]["activeTargets"]; print(t[0]["scrapeUrl"].split(":")[0], t[0]["health"])')" = "https up" ] \
    || { echo "monitoring-test: Prometheus does not scrape the API over TLS" >&2; exit 1; }

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
