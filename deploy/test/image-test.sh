#!/usr/bin/env bash
# Runs the container image for real: builds it with Jib (no daemon needed for that) on a base made offline, loads it
# into a private Docker daemon and checks what deploy/README.md promises. Host networking on loopback only.
#
#   deploy/test/image-test.sh            (root; installs docker.io and debootstrap from Debian when missing)
#
# Environment: JAVA_HOME (the build JDK, also copied into the test base), SIGTERM_EXIT_EXPECTED (default 0: the
# exit code `docker stop` must produce; "any" only records it), IMAGE_TEST_SLOW_START (default 1: also measure the
# start at --cpus=0.1, about a minute).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
JAVA_HOME="${JAVA_HOME:-$(./continuum java-home)}"
export JAVA_HOME
SIGTERM_EXIT_EXPECTED="${SIGTERM_EXIT_EXPECTED:-0}"
GRACE=30
ADMIN="ci-admin-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
IMAGE=continuum:ci
VOL="continuum-ci-data-$$"
NAMES=()
t0=$(date +%s)
# shellcheck source=deploy/test/docker-env.sh
source deploy/test/docker-env.sh

fail() { echo "image-test: FAIL: $*" >&2; for n in "${NAMES[@]}"; do docker logs --tail 40 "$n" >&2 2>&1 || true; done; exit 1; }
ok() { echo "image-test: ok: $*"; }
cleanup() {
    for n in "${NAMES[@]}"; do docker rm -f "$n" >/dev/null 2>&1 || true; done
    docker volume rm -f "$VOL" "$VOL-slow" "$VOL-backups" >/dev/null 2>&1 || true
    docker rmi "$IMAGE" >/dev/null 2>&1 || true   # the cached base stays; the image under test does not pile up
    docker_stop
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

docker_start
base=$(deploy/test/build-base-image.sh "$JAVA_HOME")
echo "image-test: base $base ($(( $(date +%s) - t0 )) s)"

# The image exactly as users build it, only on the offline base.
[ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release")" -ge 24 ] && export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn -B -q --no-transfer-progress -pl server -am package jib:buildTar -DskipTests \
    -Dcontinuum.image.base="docker://$base" -Dcontinuum.image.name="$IMAGE"
docker load -i server/target/jib-image.tar >/dev/null
version=$(sed -n 's/^version=//p' server/target/classes/continuum-version.properties)
size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
base_size=$(docker image inspect -f '{{.Size}}' "$base")
echo "image-test: image $IMAGE built and loaded ($(( $(date +%s) - t0 )) s): $((size / 1048576)) MiB on the test base," \
    "of which the application layers are $(( (size - base_size) / 1048576 )) MiB"

# Image configuration as the Dockerfile declares it.
[ "$(docker image inspect -f '{{.Config.User}}' "$IMAGE")" = "1000:1000" ] || fail "image user is not 1000:1000"
docker image inspect -f '{{json .Config.Volumes}}' "$IMAGE" | grep -q '"/data"' || fail "no /data volume"
docker image inspect -f '{{json .Config.ExposedPorts}}' "$IMAGE" | grep -q '"8420/tcp"' || fail "port 8420 not exposed"
ok "image config: user 1000:1000, volume /data, port 8420"

port=$(free_port)
base_url="http://127.0.0.1:$port"
# The seed's minimum: 256 MiB (no swap), read-only root with only /data (the volume) and /tmp writable.
# The health check is the image's (deploy/Dockerfile's HEALTHCHECK command; Jib cannot declare one, so it is given
# here as compose gives it), at a short interval so that a run sees many of them.
HEALTH_INTERVAL=5
run_flags=(--network host --read-only --tmpfs /tmp:rw,exec,size=64m -v "$VOL:/data" --memory=256m --memory-swap=256m
    --health-cmd 'continuum healthcheck' --health-interval "${HEALTH_INTERVAL}s" --health-timeout 5s
    --health-start-period 120s --health-retries 3
    -e CONTINUUM_API_HOST=127.0.0.1 -e "CONTINUUM_API_PORT=$port" -e "CONTINUUM_ADMIN_KEY=$ADMIN"
    -e CONTINUUM_RATE_LIMIT=1000000 -e CONTINUUM_RATE_LIMIT_BURST=100000)
wait_ready() { # name timeout-seconds
    local deadline=$(( $(date +%s) + $2 ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        [ "$(docker inspect -f '{{.State.Running}}' "$1")" = true ] || fail "$1 exited: $(docker inspect -f '{{.State.ExitCode}} oom={{.State.OOMKilled}}' "$1")"
        curl -fsS "$base_url/v1/ready" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    fail "$1 not ready within $2 s"
}
# Docker's health status of a container: waits for "healthy"; fails on "unhealthy" or an exit.
wait_healthy() { # name timeout-seconds
    local deadline=$(( $(date +%s) + $2 )) status=""
    while [ "$(date +%s)" -lt "$deadline" ]; do
        [ "$(docker inspect -f '{{.State.Running}}' "$1")" = true ] || fail "$1 exited: $(docker inspect -f '{{.State.ExitCode}} oom={{.State.OOMKilled}}' "$1")"
        status=$(docker inspect -f '{{.State.Health.Status}}' "$1")
        [ "$status" = healthy ] && return 0
        [ "$status" = unhealthy ] && fail "$1 is unhealthy: $(health_log "$1")"
        sleep 1
    done
    fail "$1 not healthy within $2 s (status $status): $(health_log "$1")"
}
health_log() { docker inspect -f '{{range .State.Health.Log}}[exit {{.ExitCode}}: {{.Output}}] {{end}}' "$1" | tr '\n' ' '; }
api() { # method path [json]
    curl -fsS -X "$1" -H "X-API-Key: $ADMIN" -H 'Content-Type: application/json' ${3:+--data "$3"} "$base_url$2"
}

start=$(date +%s.%N)
NAMES+=(continuum-ci-1)
docker run -d --name continuum-ci-1 "${run_flags[@]}" "$IMAGE" >/dev/null
wait_ready continuum-ci-1 120
ok "ready in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s (256 MiB, read-only root)"

curl -fsS "$base_url/v1/health" | grep -q "\"version\":\"$version\"" || fail "/v1/health does not report $version"
docker exec continuum-ci-1 continuum -V | grep -qx "continuum $version" || fail "continuum -V is not $version"
# The CLI for a person runs where a person runs it: in its own container (its own memory), never inside the server's
# 256 MiB, where a second JVM beside the server thrashes at the limit (the reason the image health check starts none).
timeout 180 docker run --rm --network host --read-only --tmpfs /tmp:rw,exec,size=64m --memory=256m \
    -e CONTINUUM_API_HOST=127.0.0.1 -e "CONTINUUM_API_PORT=$port" --entrypoint /bin/sh "$IMAGE" \
    -c 'continuum health --ready' >/dev/null || fail "continuum health --ready (the CLI for a person) failed"
ok "version $version in /v1/health and continuum -V; 'continuum health --ready' passes without curl"
wait_healthy continuum-ci-1 60
ok "Docker health status healthy: $(docker exec continuum-ci-1 continuum healthcheck) (continuum healthcheck, no JVM)"

uid=$(docker exec continuum-ci-1 sh -c 'id -u')
[ "$uid" != 0 ] || fail "runs as root"
docker exec continuum-ci-1 sh -c 'touch /app/probe' 2>/dev/null && fail "root filesystem is writable"
docker exec continuum-ci-1 sh -c 'touch /data/probe /tmp/probe && rm /data/probe /tmp/probe' || fail "/data or /tmp not writable"
ok "uid $uid; root filesystem read-only; /data and /tmp writable"

api POST /v1/learn '{"user_message":"We picked PostgreSQL for the Billing Service","ai_response":"I will configure PostgreSQL replication for the Billing Service."}' >/dev/null
api POST /v1/recall '{"message":"How is the Billing Service stored?"}' | grep -q 'PostgreSQL' || fail "recall does not find the learned turn"
ok "learn then recall over loopback"

# The quick-start workload inside 256 MiB: a few hundred turns and recalls.
for i in $(seq 1 200); do
    api POST /v1/learn "{\"user_message\":\"Service s$i talks to queue q$((i % 17)) and cache c$((i % 5))\",\"ai_response\":\"Noted: s$i uses q$((i % 17)).\"}" >/dev/null
    api POST /v1/recall "{\"message\":\"what does s$i use\"}" >/dev/null
done
mem=$(docker stats --no-stream --format '{{.MemUsage}}' continuum-ci-1)
[ "$(docker inspect -f '{{.State.OOMKilled}}' continuum-ci-1)" = false ] || fail "OOM-killed at 256 MiB"
ok "quick-start workload (200 learns + 200 recalls) inside --memory=256m; memory in use $mem"

# The seed's backup line, as the CronJob runs it: its own container (own memory) on the server's volume, while the
# server runs, writing to a /backups mount.
NAMES+=(continuum-ci-backup)
docker run --name continuum-ci-backup --network host --read-only --tmpfs /tmp:rw,exec,size=64m -v "$VOL:/data" \
    -v "$VOL-backups:/backups" --memory=512m --entrypoint /bin/sh "$IMAGE" \
    -c 'continuum export /backups/$(date +%Y%m%d).json.gz --compress' >/dev/null || fail "continuum export --compress failed"
docker run --rm -v "$VOL-backups:/backups" --entrypoint /bin/sh "$IMAGE" -c 'gzip -dc /backups/$(date +%Y%m%d).json.gz' \
    | grep -q "\"product_version\" *: *\"$version\"" || fail "the export does not carry product_version $version"
ok "continuum export /backups/\$(date +%Y%m%d).json.gz --compress runs in the image beside the server; records $version"

# SIGTERM while writes are in flight: acknowledged writes survive, exit within the grace period.
acked=$(mktemp)
( for i in $(seq 1 100000); do
      api POST /v1/learn "{\"user_message\":\"late turn $i about Kafka\",\"ai_response\":\"ok $i\"}" >/dev/null 2>&1 && echo "$i" >>"$acked" || true
  done ) &
writer=$!
sleep 2
stop_start=$(date +%s.%N)
docker stop -t "$GRACE" continuum-ci-1 >/dev/null
stop_s=$(python3 -c "print(round($(date +%s.%N) - $stop_start, 1))")
kill "$writer" 2>/dev/null || true; wait "$writer" 2>/dev/null || true
code=$(docker inspect -f '{{.State.ExitCode}}' continuum-ci-1)
n_acked=$(wc -l <"$acked"); rm -f "$acked"
python3 -c "import sys; sys.exit(0 if $stop_s < $GRACE else 1)" || fail "SIGTERM: not stopped within the ${GRACE} s grace period"
if [ "$SIGTERM_EXIT_EXPECTED" = any ]; then
    echo "image-test: note: SIGTERM exit code $code after $stop_s s (not asserted)"
else
    [ "$code" = "$SIGTERM_EXIT_EXPECTED" ] || fail "SIGTERM exit code $code, expected $SIGTERM_EXIT_EXPECTED"
    ok "SIGTERM: exit $code after $stop_s s (grace $GRACE s)"
fi

# A new container on the same volume: everything acknowledged is there.
NAMES+=(continuum-ci-2)
docker run -d --name continuum-ci-2 "${run_flags[@]}" "$IMAGE" >/dev/null
wait_ready continuum-ci-2 120
api POST /v1/recall '{"message":"How is the Billing Service stored?"}' | grep -q 'PostgreSQL' || fail "data lost across restart"
messages=$(api GET /v1/stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["messages"])')
[ "$messages" -ge $((201 + n_acked)) ] || fail "acknowledged writes lost: $messages stored, $((201 + n_acked)) acknowledged"
ok "restart on the same volume: recall works, $messages memories stored >= $((201 + n_acked)) acknowledged ($n_acked during the stop)"
docker stop -t "$GRACE" continuum-ci-2 >/dev/null

# TLS in the container: the certificate mounted read-only (as a Kubernetes Secret is), the API over https only, and
# the image's health check following the server's TLS settings.
tls_dir=$(mktemp -d)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=image-test-ca -keyout "$tls_dir/ca.key" -out "$tls_dir/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=continuum -keyout "$tls_dir/tls.key" -out "$tls_dir/tls.csr" 2>/dev/null
printf 'subjectAltName=DNS:continuum,IP:127.0.0.1' >"$tls_dir/tls.ext"
openssl x509 -req -in "$tls_dir/tls.csr" -CA "$tls_dir/ca.crt" -CAkey "$tls_dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$tls_dir/tls.ext" -out "$tls_dir/tls.crt" 2>/dev/null
chmod 755 "$tls_dir" && chmod 644 "$tls_dir/tls.crt" "$tls_dir/tls.key"   # readable by uid 1000 in the container
NAMES+=(continuum-ci-tls)
docker run -d --name continuum-ci-tls "${run_flags[@]}" -v "$tls_dir:/etc/continuum/tls:ro" \
    -e CONTINUUM_TLS_CERTIFICATE=/etc/continuum/tls/tls.crt -e CONTINUUM_TLS_PRIVATE_KEY=/etc/continuum/tls/tls.key \
    "$IMAGE" >/dev/null
deadline=$(( $(date +%s) + 120 ))
until curl -fsS --cacert "$tls_dir/ca.crt" "https://127.0.0.1:$port/v1/ready" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "continuum-ci-tls not ready over TLS within 120 s"
    [ "$(docker inspect -f '{{.State.Running}}' continuum-ci-tls)" = true ] || fail "continuum-ci-tls exited"
    sleep 0.5
done
tls_api() { # method path [json]
    curl -fsS --cacert "$tls_dir/ca.crt" -X "$1" -H "X-API-Key: $ADMIN" -H 'Content-Type: application/json' \
        ${3:+--data "$3"} "https://127.0.0.1:$port$2"
}
tls_api POST /v1/recall '{"message":"How is the Billing Service stored?"}' | grep -q PostgreSQL || fail "recall over TLS"
! curl -fsS "http://127.0.0.1:$port/v1/health" >/dev/null 2>&1 || fail "plain HTTP answered on the TLS port"
ok "TLS: https with the mounted certificate, recall over TLS, plain HTTP refused"
# The image's health check over TLS, and the quick-start workload over TLS inside --memory=256m: the health check
# runs every HEALTH_INTERVAL seconds during and after it and must start nothing that takes the container over its
# limit (a JVM-based check did: the container stopped).
wait_healthy continuum-ci-tls 60
ok "TLS: Docker health status healthy: $(docker exec continuum-ci-tls continuum healthcheck)"
for i in $(seq 1 200); do
    tls_api POST /v1/learn "{\"user_message\":\"TLS service t$i talks to queue q$((i % 17))\",\"ai_response\":\"Noted: t$i uses q$((i % 17)).\"}" >/dev/null
    tls_api POST /v1/recall "{\"message\":\"what does t$i use\"}" >/dev/null
done
mem=$(docker stats --no-stream --format '{{.MemUsage}}' continuum-ci-tls)
sleep $((HEALTH_INTERVAL * 4))
[ "$(docker inspect -f '{{.State.Running}}' continuum-ci-tls)" = true ] \
    || fail "continuum-ci-tls stopped: $(docker inspect -f 'exit {{.State.ExitCode}} oom={{.State.OOMKilled}}' continuum-ci-tls)"
[ "$(docker inspect -f '{{.State.OOMKilled}}' continuum-ci-tls)" = false ] || fail "continuum-ci-tls OOM-killed"
[ "$(docker inspect -f '{{.State.Health.Status}}' continuum-ci-tls)" = healthy ] \
    || fail "continuum-ci-tls not healthy after the workload: $(health_log continuum-ci-tls)"
checks=$(docker inspect -f '{{range .State.Health.Log}}{{.ExitCode}} {{end}}' continuum-ci-tls)
ok "TLS: 200 learns + 200 recalls over TLS, then $((HEALTH_INTERVAL * 4)) s: still running, healthy, not OOM-killed" \
    "inside --memory=256m; memory in use $mem; exit codes of the last health checks: $checks"
docker stop -t "$GRACE" continuum-ci-tls >/dev/null
rm -rf "$tls_dir"

if [ "${IMAGE_TEST_SLOW_START:-1}" = 1 ]; then
    NAMES+=(continuum-ci-slow)
    start=$(date +%s.%N)
    docker run -d --name continuum-ci-slow --network host --read-only --tmpfs /tmp:rw,exec,size=64m -v "$VOL-slow:/data" \
        --memory=256m --memory-swap=256m --cpus=0.1 -e CONTINUUM_API_HOST=127.0.0.1 -e "CONTINUUM_API_PORT=$port" \
        -e "CONTINUUM_ADMIN_KEY=$ADMIN" "$IMAGE" >/dev/null
    wait_ready continuum-ci-slow 300
    echo "image-test: measured: start to ready at --cpus=0.1 --memory=256m (empty volume): $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
    docker stop -t "$GRACE" continuum-ci-slow >/dev/null
fi
echo "image-test: passed in $(( $(date +%s) - t0 )) s"
