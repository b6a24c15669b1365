# Sourced by the deploy tests: a private Docker daemon for this repository's checks (its own socket, data root and
# pid file, so it never meets another daemon on the machine). Host networking only: the daemon runs without a
# bridge or iptables rules (this machine's containers cannot create them), and nothing is pulled from a registry.
#
#   docker_start   installs docker.io when missing (Debian), starts the daemon, waits until it answers
#   docker_stop    stops the daemon this shell started, by its pid
CI_DOCKER_ROOT="${CI_DOCKER_ROOT:-/var/lib/continuum-ci-docker}"   # kept between runs: caches the base image
CI_DOCKER_RUN="${CI_DOCKER_RUN:-/run/continuum-ci-docker}"
export DOCKER_HOST="unix://$CI_DOCKER_RUN/docker.sock"
CI_DOCKERD_PID=""

docker_start() {
    if ! command -v dockerd >/dev/null 2>&1; then
        echo "deploy-test: installing docker.io (Debian)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
    fi
    mkdir -p "$CI_DOCKER_ROOT" "$CI_DOCKER_RUN"
    if docker info >/dev/null 2>&1; then
        echo "deploy-test: a daemon already answers on $DOCKER_HOST; using it"
        return 0
    fi
    dockerd --host "$DOCKER_HOST" --data-root "$CI_DOCKER_ROOT" --exec-root "$CI_DOCKER_RUN/exec" \
        --pidfile "$CI_DOCKER_RUN/dockerd.pid" --bridge=none --iptables=false --ip6tables=false \
        >"$CI_DOCKER_RUN/dockerd.log" 2>&1 &
    CI_DOCKERD_PID=$!
    for _ in $(seq 1 60); do
        docker info >/dev/null 2>&1 && return 0
        kill -0 "$CI_DOCKERD_PID" 2>/dev/null || break
        sleep 0.5
    done
    echo "deploy-test: dockerd did not start; its log:" >&2
    tail -30 "$CI_DOCKER_RUN/dockerd.log" >&2
    return 1
}

docker_stop() {
    if [ -n "$CI_DOCKERD_PID" ] && kill -0 "$CI_DOCKERD_PID" 2>/dev/null; then
        kill "$CI_DOCKERD_PID"
        for _ in $(seq 1 40); do kill -0 "$CI_DOCKERD_PID" 2>/dev/null || return 0; sleep 0.25; done
        kill -9 "$CI_DOCKERD_PID" 2>/dev/null || true
    fi
}
