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

# A new cluster id. StorageTool prints its own log lines on standard output before the id, and the whole output
# used to become the id (meta.properties held "cluster.id=05\:07\:33.312 [main] INFO ... <id>"): keep only the
# last token that has the shape of a Kafka cluster id (22 characters of base64url), and fail if there is none.
cluster_id() {
  local cp="$1" id
  id="$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tr -s ' \t' '\n' \
    | grep -E '^[A-Za-z0-9_-]{22}$' | tail -n 1 || true)"
  [ -n "$id" ] || { echo "kafka: StorageTool random-uuid printed no cluster id" >&2; exit 1; }
  printf '%s' "$id"
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
    local id; id="$(cluster_id "$cp")"
    java -cp "$cp" kafka.tools.StorageTool format -t "$id" \
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
  cluster-id) cluster_id "$(classpath)"; echo ;;
  logs) tail -f "$state/broker.log" ;;
  *) echo "usage: $0 start|stop|status|logs|cluster-id" >&2; exit 2 ;;
esac
