#!/usr/bin/env bash
# Builds the explorer page into $1 (the Maven build passes target/classes/continuum-ui, so the jar serves it at /ui/).
# Without Node or npm it skips with a loud message (the server then answers /ui/ with 503 and says why), except in CI
# (CI=true), where a missing page is a failure. Skips the work when the output is newer than every source.
set -euo pipefail
cd "$(dirname "$0")"
out="${1:?usage: build.sh OUTPUT_DIR}"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    if [ "${CI:-}" = "true" ] || [ "${CONTINUUM_TEST_REQUIRE_CLIENTS:-}" = "true" ]; then
        echo "ui/build.sh: node and npm are required in CI to build the explorer page (.ci/run installs them)" >&2
        exit 1
    fi
    echo "*** ui/build.sh: node/npm not found: the explorer page (/ui/) is NOT built into this jar; /ui/ will answer 503. Install Node 20.19+ and npm to include it. ***" >&2
    exit 0
fi
if [ -f "$out/index.html" ] && [ -z "$(find index.html vite.config.js package-lock.json src -newer "$out/index.html" -print -quit)" ]; then
    echo "ui/build.sh: explorer page up to date in $out" >&2
    exit 0
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error >&2
fi
CONTINUUM_UI_OUT="$out" npx --no-install vite build --logLevel warn >&2
echo "ui/build.sh: explorer page built into $out" >&2
