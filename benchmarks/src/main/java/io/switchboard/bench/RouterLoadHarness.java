package io.switchboard.bench;

import io.switchboard.router.RouterApplication;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroSerializer;
import io.switchboard.testkit.KafkaTestBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * Pushes N seed-shaped events (default 200,000) through router-service on a real broker and, on the same broker in
 * the same run, through a plain consume-and-produce passthrough (bytes in, bytes out, a poll at a time, sends
 * flushed and offsets committed per poll: the least any consumer-producer can do). Prints both rates and their
 * ratio. The broker: {@code SWITCHBOARD_TEST_KAFKA} when set, else an in-process KRaft broker.
 *
 * <p>Usage: {@code benchmarks/run.sh router-load [N]}
 */
public final class RouterLoadHarness {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        String kafka = KafkaTestBroker.bootstrapServers();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String in = "bench-" + run + ".events";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(
                            new NewTopic(in, 3, (short) 1),
                            new NewTopic(in + ".pass-1", 3, (short) 1),
                            new NewTopic(in + ".pass-2", 3, (short) 1),
                            new NewTopic(in + ".publish", 3, (short) 1),
                            new NewTopic(in + ".dlq", 3, (short) 1)))
                    .all()
                    .get();
            long produceStart = System.nanoTime();
            produce(kafka, in, n);
            report("produce (setup)", n, System.nanoTime() - produceStart);

            double pass1 = passthrough(kafka, in, in + ".pass-1", n);
            double router = router(kafka, admin, in, n);
            double pass2 = passthrough(kafka, in, in + ".pass-2", n);
            double baseline = (pass1 + pass2) / 2;
            System.out.printf(
                    "%nRESULT router %.0f events/s, passthrough %.0f events/s (runs %.0f and %.0f): ratio %.2f%n",
                    router, baseline, pass1, pass2, router / baseline);
        }
        System.exit(0);
    }

    private static void produce(String kafka, String topic, int n) {
        try (KafkaProducer<String, RealtimeEvent> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                        ProducerConfig.LINGER_MS_CONFIG, 5,
                        ProducerConfig.BATCH_SIZE_CONFIG, 65_536),
                new StringSerializer(),
                new AvroSerializer<>())) {
            for (int i = 0; i < n; i++) {
                RealtimeEvent event = SeedEvents.typical(i);
                producer.send(new ProducerRecord<>(topic, event.getAggregateId(), event));
            }
            producer.flush();
        }
    }

    private static double passthrough(String kafka, String in, String out, int n) {
        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka,
                ConsumerConfig.GROUP_ID_CONFIG,
                out,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5);
        long start = System.nanoTime();
        int done = 0;
        try (KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> producer =
                        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(in));
            while (done < n) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, byte[]> record : records) {
                    producer.send(new ProducerRecord<>(out, record.key(), record.value()));
                }
                producer.flush();
                consumer.commitSync();
                done += records.count();
            }
        }
        return report("passthrough", n, System.nanoTime() - start);
    }

    private static double router(String kafka, Admin admin, String in, int n) throws Exception {
        try (ConfigurableApplicationContext context = RouterApplication.builder()
                .run(
                        "--spring.kafka.bootstrap-servers=" + kafka,
                        "--server.port=0",
                        "--spring.kafka.listener.auto-startup=false",
                        "--spring.kafka.consumer.group-id=" + in + ".router",
                        "--switchboard.router.input-topic=" + in,
                        "--switchboard.router.output-topic=" + in + ".publish",
                        "--switchboard.router.dead-letter-topic=" + in + ".dlq",
                        "--logging.level.root=WARN")) {
            long start = System.nanoTime();
            context.getBean(KafkaListenerEndpointRegistry.class)
                    .getListenerContainer("router")
                    .start();
            while (endOffsets(admin, in + ".publish") < n) {
                Thread.onSpinWait();
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
            }
            return report("router", n, System.nanoTime() - start);
        }
    }

    private static long endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = java.util.stream.IntStream.range(0, 3)
                .boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().values().stream()
                .mapToLong(info -> info.offset())
                .sum();
    }

    private static double report(String what, int n, long nanos) {
        double rate = n / (nanos / 1e9);
        System.out.printf("%-16s %,d events in %.2f s: %,.0f events/s%n", what, n, nanos / 1e9, rate);
        return rate;
    }
}
