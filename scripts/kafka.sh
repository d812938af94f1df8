#!/usr/bin/env bash
# A real single-node KRaft Kafka broker from Maven Central jars, no Docker:
#   scripts/kafka.sh start|stop|status|logs
# Listens on 127.0.0.1:${KAFKA_PORT:-9092} (controller on the next port); state and data under
# ${KAFKA_STATE_DIR:-.switchboard/kafka}. Tests run a second broker with their own port and folder.
# The classpath comes from the dev-broker Maven module (kafka_2.13), resolved once and cached.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
state="${KAFKA_STATE_DIR:-$root/.switchboard/kafka}"
port="${KAFKA_PORT:-9092}"
cport=$((port + 1))
mkdir -p "$state"
name=kafka
log="$state/broker.log"
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"


classpath() {
  if [ ! -s "$state/classpath" ] || [ "$root/dev-broker/pom.xml" -nt "$state/classpath" ]; then
    echo "kafka: resolving the broker's jars (dev-broker module)" >&2
    "$root/mvnw" -q -B -f "$root/pom.xml" -pl dev-broker dependency:build-classpath \
      -Dmdep.outputFile="$state/classpath" >"$state/resolve.log" 2>&1 \
      || { cat "$state/resolve.log" >&2; exit 1; }
  fi
  cat "$state/classpath"
}

start() {
  if listening "$port"; then echo "kafka: something already listens on 127.0.0.1:$port, using it"; return 0; fi
  local cp; cp="$(classpath)"
  cat >"$state/server.properties" <<PROPS
node.id=1
process.roles=broker,controller
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$state/data
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  if [ ! -f "$state/data/meta.properties" ]; then
    java -cp "$cp" kafka.tools.StorageTool format -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid)" \
      -c "$state/server.properties" >"$state/format.log" 2>&1 || { cat "$state/format.log" >&2; exit 1; }
  fi
  nohup java -Xmx1g -cp "$cp" kafka.Kafka "$state/server.properties" >"$state/broker.log" 2>&1 &
  echo $! >"$state/pid"
  wait_for_port "$port" 30
}

stop() {
  stop_started 30
}

status() {
  if listening "$port"; then echo "kafka: listening on 127.0.0.1:$port"; else echo "kafka: not running"; return 1; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  logs) tail -f "$state/broker.log" ;;
  *) echo "usage: $0 start|stop|status|logs" >&2; exit 2 ;;
esac
