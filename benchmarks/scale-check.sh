#!/bin/bash
set -u
# Scale check: seeds the 1M-concept / 5M-link graph into SQLite and into the local PostgreSQL (database
# continuum_scale, dropped and recreated), then times two cold starts of the real server on each, alternating.
# Needs JAVA_HOME at Temurin 25 (or any JDK >= 21), psql, curl and bc; writes under $SCALE_DIR (default
# /tmp/continuum-scale). Figures: benchmarks/RESULTS.md, "Scale check".
cd "$(dirname "$0")/.."
DIR="${SCALE_DIR:-/tmp/continuum-scale}"
export JAVA_HOME="${JAVA_HOME:-$(./continuum java-home)}" # its own line: PATH below must see it
export PATH="$JAVA_HOME/bin:$PATH"
mvn -B -q install -DskipTests && mvn -B -q test-compile -pl server,benchmarks || exit 1
CP="server/target/test-classes:server/target/classes:$(ls server/target/libs/*.jar | tr '\n' ':')benchmarks/target/classes"
FLAGS=$(cat server/target/classes/continuum-jvm.flags)
rm -rf $DIR/sqlite $DIR/pgdata; mkdir -p $DIR/pgdata
echo "seed sqlite start $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
java $FLAGS -cp "$CP" ai.continuum.server.e2e.SeedGraph $DIR/sqlite load 1M/5M 42 $DIR/bodies.txt 2>&1 | grep -i 'total\|seeded'
psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE IF EXISTS continuum_scale' -c 'CREATE DATABASE continuum_scale' >/dev/null 2>&1
echo "seed pg start $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
java $FLAGS -cp "$CP" ai.continuum.server.e2e.SeedGraph 'jdbc:postgresql://127.0.0.1:5432/continuum_scale?user=postgres' load 1M/5M 42 $DIR/bodies-pg.txt 2>&1 | grep -i 'total\|seeded'
ls -l $DIR/sqlite/
psql -h 127.0.0.1 -U postgres -d continuum_scale -Atc "SELECT sum(pg_total_relation_size(relid)) FROM pg_stat_user_tables"
start() { # $1 label, rest env
  local label=$1; shift
  local t0=$(date +%s.%N)
  env "$@" CONTINUUM_ADMIN_KEY=scale-admin-key-0123456789 java $FLAGS -jar server/target/continuum-server-0.1.0-SNAPSHOT.jar serve --port 18700 --data-dir $DIR/$label > $DIR/$label.log 2>&1 &
  local pid=$!
  local code=000
  for i in $(seq 1 1200); do code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18700/v1/ready); [ "$code" = 200 ] && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
  local t1=$(date +%s.%N)
  echo "$label ready=$code $(echo "$t1 - $t0" | bc) s rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status) kB load $(cut -d' ' -f1-3 /proc/loadavg)"
  kill $pid; wait $pid 2>/dev/null
}
for r in 1 2; do
  start sqlite
  start pgdata CONTINUUM_STORAGE_BACKEND=postgresql CONTINUUM_CONNECTION_STRING='jdbc:postgresql://127.0.0.1:5432/continuum_scale?user=postgres'
done
echo done
