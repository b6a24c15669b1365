#!/usr/bin/env bash
# Builds the base image the image test runs on, offline from Docker Hub: a minimal Debian root filesystem
# (debootstrap --variant=minbase, from the Debian mirror apt already uses) plus the JDK the build uses, laid out like
# the production base (eclipse-temurin: the JDK in /opt/java/openjdk, JAVA_HOME and PATH set). Production images keep
# the Temurin base (server/pom.xml); only the test swaps it.
#
# Prints the image name. Cached: the tag names the Debian suite and the JDK's release, and the daemon's data root is
# kept between runs, so the ~1 minute bootstrap happens once per machine and JDK.
#   usage: build-base-image.sh JAVA_HOME     (with DOCKER_HOST pointing at a running daemon)
set -euo pipefail
jdk="${1:?JAVA_HOME of the build JDK}"
suite=bookworm
release=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$jdk/release" | tr '+' '_')
name="continuum-ci-base:${suite}-jdk${release:-unknown}"
if docker image inspect "$name" >/dev/null 2>&1; then
    echo "$name"
    exit 0
fi
command -v debootstrap >/dev/null 2>&1 || {
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2
}
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
mirror="${mirror:-http://deb.debian.org/debian}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "deploy-test: debootstrap $suite from $mirror (once per machine)" >&2
debootstrap --variant=minbase "$suite" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -20 "$work/debootstrap.log" >&2; exit 1; }
rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
mkdir -p "$work/rootfs/opt/java"
cp -a "$jdk" "$work/rootfs/opt/java/openjdk"
rm -rf "$work/rootfs/opt/java/openjdk/lib/src.zip" "$work/rootfs/opt/java/openjdk/jmods"
tar -C "$work/rootfs" -c . | docker import \
    --change 'ENV JAVA_HOME=/opt/java/openjdk' \
    --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    - "$name" >&2
echo "$name"
