#!/bin/bash
# Time from a ConfigMap-style ..data swap of the runtime's manifests to the first GET /bots that shows the
# change, ten times (ms). Run from the repository root after ./mvnw -B -q -DskipTests install; needs curl.
set -u
D=$(mktemp -d)/config; rm -rf $D; mkdir -p $D/..v0
doc() { cat <<Y
apiVersion: botfleet.dev/v1alpha1
kind: LLMBot
metadata: {name: echo}
spec: {handler: echo, description: "version $1"}
Y
}
doc 0 > $D/..v0/bots.yaml; ln -s ..v0 $D/..data; ln -s ..data/bots.yaml $D/bots.yaml
PORT=18200
java -XX:+UseSerialGC -jar bot-runtime/target/bot-runtime.jar --manifests=$D --server.port=$PORT >/dev/null 2>&1 &
PID=$!
until curl -sf localhost:$PORT/actuator/health/readiness >/dev/null; do sleep 0.05; done
sleep 2
for v in 1 2 3 4 5 6 7 8 9 10; do
  mkdir $D/..v$v; doc $v > $D/..v$v/bots.yaml; ln -s ..v$v $D/..tmp; 
  start=$(date +%s%N); mv -T $D/..tmp $D/..data
  until curl -s localhost:$PORT/bots | grep -q "version $v\""; do sleep 0.005; done
  echo $(( ($(date +%s%N)-start)/1000000 ))
  sleep 0.5
done | tr '\n' ' '; echo
kill $PID
rm -rf "$(dirname "$D")"
