#!/usr/bin/env bash
# deploy/compose.yaml (and with deploy/compose.federation.yaml over it, profile federation), checked by the compose tool's own validation (Compose v2 `docker compose config` when the
# plugin is installed, else Debian's docker-compose 1.29, which this repository's CI installs), plus what the
# validator cannot know: every mounted file exists and no secret is written inline.
# The stack itself is not started here: its PostgreSQL, Redis, Prometheus and Grafana images come from Docker Hub,
# which CI cannot reach (the Continuum image itself is run by deploy/test/image-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
if docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
else
    if ! command -v docker-compose >/dev/null 2>&1; then
        echo "compose-test: installing Debian's docker-compose"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
    fi
    compose=(docker-compose)
fi
"${compose[@]}" -f compose.yaml config -q
"${compose[@]}" -f compose.yaml -f compose.federation.yaml --profile federation config -q
# The federation files: the coordinator runs only with its profile; the node override adds its settings and secrets.
"${compose[@]}" -f compose.yaml -f compose.federation.yaml config | python3 -c '
import sys, yaml
c = yaml.safe_load(sys.stdin)
env = c["services"]["continuum"]["environment"]
secrets = {s["source"] if isinstance(s, dict) else s for s in c["services"]["continuum"]["secrets"]}
assert env["CONTINUUM_FEDERATION_GROUP_KEY_FILE"] == "/run/secrets/federation_group_key" and "federation_group_key" in secrets, env
assert {"database_url", "tls_certificate", "federation_ca"} <= secrets, secrets
assert c["services"]["federation-coordinator"]["profiles"] == ["federation"]
'
# The validator is real: a misspelt key must be refused.
broken=$(mktemp --suffix=.yaml -p .)
trap 'rm -f "$broken"' EXIT
sed 's/^    restart: unless-stopped$/    restrat: unless-stopped/' compose.yaml >"$broken"
if "${compose[@]}" -f "$broken" config -q >/dev/null 2>&1; then
    echo "compose-test: FAIL: the compose validator accepted a misspelt key" >&2; exit 1
fi
python3 - <<'PY'
import os, re, sys, yaml
bad = []
for name, svc in [(n, s) for f in ("compose.yaml", "compose.federation.yaml")
                  for n, s in yaml.safe_load(open(f))["services"].items()]:
    for key, value in (svc.get("environment") or {}).items():
        # A value that is an absolute path names a mounted file (a secret's), not the secret itself.
        if (re.search(r"PASSWORD|SECRET|_KEY$|DATABASE_URL|CONNECTION_STRING", key) and not key.endswith("FILE")
                and not str(value).startswith("/run/secrets/")):
            bad.append(f"{name}: {key} is inline; use a *_FILE secret")
    for v in svc.get("volumes", []):
        src = v.split(":")[0]
        if src.startswith("./") and not os.path.exists(src):
            bad.append(f"{name}: mounted file {src} does not exist")
for f in ("compose.yaml", "compose.federation.yaml"):
    for s in (yaml.safe_load(open(f)).get("secrets") or {}).values():
        if "file" not in s:
            bad.append(f"{f}: secret without a file: {s}")
for b in bad:
    print("compose-test: FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
echo "compose-test: deploy/compose.yaml and compose.federation.yaml valid (${compose[*]} config), files present, no inline secrets"
