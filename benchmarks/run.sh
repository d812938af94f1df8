#!/usr/bin/env bash
# Runs a benchmark from the benchmarks module (see benchmarks/README.md):
#   benchmarks/run.sh jmh [JMH options]     route + truncate micro-benchmarks (events/s per core)
#   benchmarks/run.sh router-load [N]       router-service vs a plain passthrough on a real broker (default N=200000)
#   benchmarks/run.sh relay-load [postgres|mariadb|both] [rows] [seconds]
#                                           outbox-relay: backlog drain rate and commit-to-Kafka latency
#   benchmarks/run.sh publisher-load [N]    publisher-service vs Soketi's ceiling, the naive baseline, a 20 ms stand-in
#   benchmarks/run.sh faults [fault...]     the fault matrix: the pipeline as processes under kills and outages
#   benchmarks/run.sh latency                commit to pusher-js on Soketi: cold, warm at 1,000 and at 100 rows/s
#   benchmarks/run.sh soak                   10 min at 5,000 rows/s into Soketi: heap after GC, RSS, pauses, lag, a plot
#   benchmarks/run.sh scale-out [throughput|kills]
#                                           three of each on 6 partitions: drain rate per instance count, and kills
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -q -B -DskipTests -Dspotless.check.skip=true install -pl benchmarks -am >&2
./mvnw -q -B -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >&2
cp="benchmarks/target/classes:$(cat benchmarks/target/bench.classpath)"
what="${1:-}"; shift || true
# -Dname=value arguments are the harness's settings (system properties): they go to the JVM, the rest to main
jvm=(); args=()
for a in "$@"; do case "$a" in -D*) jvm+=("$a") ;; *) args+=("$a") ;; esac; done
set -- ${args[@]+"${args[@]}"}
case "$what" in
  jmh) exec java ${jvm[@]+"${jvm[@]}"} -cp "$cp" org.openjdk.jmh.Main "${@:-RouteBenchmark}" ;;
  router-load) exec java -Xmx2g ${jvm[@]+"${jvm[@]}"} -cp "$cp" io.switchboard.bench.RouterLoadHarness "$@" ;;
  relay-load) exec java -Xmx2g ${jvm[@]+"${jvm[@]}"} -cp "$cp" io.switchboard.bench.RelayLoadHarness "$@" ;;
  publisher-load) exec java -Xmx2g ${jvm[@]+"${jvm[@]}"} -cp "$cp" io.switchboard.bench.PublisherLoadHarness "$@" ;;
  faults)
    ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl outbox-relay,router-service,publisher-service -am >&2
    exec java -Xmx2g ${jvm[@]+"${jvm[@]}"} -cp "$cp" io.switchboard.bench.FaultMatrixHarness "$@" ;;
  latency)
    ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl outbox-relay,router-service,publisher-service -am >&2
    "$root/scripts/soketi.sh" install >&2
    exec java -Xmx2g ${jvm[@]+"${jvm[@]}"} -cp "$cp" io.switchboard.bench.LatencyHarness "$@" ;;
  soak)
    ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl outbox-relay,router-service,publisher-service -am >&2
    "$root/scripts/soketi.sh" install >&2
    exec java -Xmx2g ${jvm[@]+"${jvm[@]}"} -cp "$cp" io.switchboard.bench.SoakHarness "$@" ;;
  scale-out)
    ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl outbox-relay,router-service,publisher-service -am >&2
    exec java -Xmx2g ${jvm[@]+"${jvm[@]}"} -cp "$cp" io.switchboard.bench.ScaleOutHarness "$@" ;;
  *) echo "usage: benchmarks/run.sh jmh|router-load|relay-load|publisher-load|faults|scale-out|latency|soak [args]" >&2; exit 2 ;;
esac
