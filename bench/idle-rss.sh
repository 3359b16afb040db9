#!/bin/bash
# Idle resident memory (MiB) of the runtime in the image's layout (the jar extracted: classes and a directory of
# jars) under the JVM options given as arguments, three runs: readiness, 200 echo answers, 5 s of quiet, VmRSS.
# Health is on a management port of its own, as in the operator's Deployment (which -Dspring.aot.enabled=true needs).
# A 512 MiB container is emulated with -XX:MaxRAM=512m; set MALLOC_ARENA_MAX and the like in the environment.
# Run from the repository root after ./mvnw -B -q -DskipTests install; needs curl.
#   bash bench/idle-rss.sh -XX:MaxRAM=512m -XX:MaxRAMPercentage=75 -XX:+UseSerialGC
set -u
X=$(mktemp -d)
java -Djarmode=tools -jar bot-runtime/target/bot-runtime.jar extract --destination "$X/app" >/dev/null
PORT=18210
MANAGEMENT_PORT=18211
QUERY='{"version":"1.0","type":"query","query":[{"role":"user","content":"hi","content_type":"text/markdown"}],"user_id":"u","conversation_id":"c","message_id":"m"}'
for run in 1 2 3; do
  java "$@" -jar "$X/app/bot-runtime.jar" --manifests=examples/quickstart.yaml --server.port=$PORT \
    --management.server.port=$MANAGEMENT_PORT >"$X/log" 2>&1 &
  PID=$!
  until curl -sf localhost:$MANAGEMENT_PORT/actuator/health/readiness >/dev/null; do sleep 0.05; done
  for i in $(seq 200); do
    curl -s -H 'Content-Type: application/json' -d "$QUERY" localhost:$PORT/bots/echo >/dev/null
  done
  sleep 5
  awk '/VmRSS/ {printf "%d ", $2 / 1024}' /proc/$PID/status
  kill $PID; wait $PID 2>/dev/null
done
echo
rm -rf "$X"
