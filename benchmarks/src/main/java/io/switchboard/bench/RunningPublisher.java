package io.switchboard.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.publisher.PublisherApplication;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.wire.AvroSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * One publisher-service in this JVM, started once and kept running as in production, fed round after round from a
 * topic of its own (3 partitions): each round loads n records while its listener is paused, then times their
 * delivery. A fresh Spring context per round would be measured with its class loading and a second or more of JIT
 * compilation in the timed phase.
 */
final class RunningPublisher implements AutoCloseable {

    private final String kafka;
    private final int keys;
    private final String topic = "bench-publish-" + UUID.randomUUID().toString().substring(0, 8);
    private final ConfigurableApplicationContext context;
    private final MeterRegistry meters;
    private final MessageListenerContainer container;
    private int loaded;

    /**
     * Starts publisher-service on {@code kafka}, delivering to {@code target} (its Pusher arguments), with
     * {@code extra} arguments after them (experiments), its records spread over {@code keys} Kafka keys.
     */
    RunningPublisher(String kafka, List<String> target, List<String> extra, int keys)
            throws InterruptedException, ExecutionException {
        this.kafka = kafka;
        this.keys = keys;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--server.port=0",
                "--spring.kafka.listener.auto-startup=false",
                "--spring.kafka.consumer.group-id=" + topic,
                "--switchboard.publisher.input-topic=" + topic,
                "--switchboard.publisher.dead-letter-topic=" + topic + ".dlq",
                "--logging.level.root=WARN"));
        args.addAll(target);
        args.addAll(extra);
        this.context = PublisherApplication.builder().run(args.toArray(String[]::new));
        this.meters = context.getBean(MeterRegistry.class);
        this.container = context.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("publisher");
    }

    /**
     * Loads n more records, times publisher-service delivering them, then pauses it and waits until it is idle (the
     * poll in hand when it is paused is still delivered: that must not overlap the next phase).
     */
    PhaseMeter.Measured round(int n, String label, PhaseMeter meter) {
        load(n);
        double published = published();
        double requests = requests();
        PhaseMeter.Phase phase = meter.start();
        long start = System.nanoTime();
        if (container.isRunning()) {
            container.resume();
        } else {
            container.start();
        }
        while (published() < published + n) {
            LockSupport.parkNanos(2_000_000);
            if (System.nanoTime() - start > Duration.ofMinutes(5).toNanos()) {
                throw new IllegalStateException("publisher did not deliver " + n + " events in 5 minutes");
            }
        }
        PhaseMeter.Measured measured = phase.end("publisher → " + label, n);
        double sent = requests() - requests;
        pauseUntilIdle();
        System.out.printf("    %,.0f requests to Pusher, %.1f events per request%n", sent, n / sent);
        return measured;
    }

    private void pauseUntilIdle() {
        container.pause();
        long idleBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (double before = -1, now = published(); !container.isContainerPaused() || now != before; ) {
            if (System.nanoTime() > idleBy) {
                throw new IllegalStateException("publisher still busy 30 s after it was paused");
            }
            LockSupport.parkNanos(100_000_000);
            before = now;
            now = published();
        }
    }

    private double published() {
        return meters.counter("switchboard.publisher.published").count();
    }

    private double requests() {
        return meters.find("switchboard.publisher.requests").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    /** Loads n more records (seed-002-shaped, single-channel, over the keys). */
    private void load(int n) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, ChannelPublish> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(),
                new AvroSerializer<>())) {
            for (int i = loaded; i < loaded + n; i++) {
                String key = "audit-" + (i % keys);
                ChannelPublish publish = SeedEvents.progressPublish(topic + "-" + i, key);
                producer.send(new ProducerRecord<>(topic, key, publish), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("loading the topic failed", failure.get());
        }
        loaded += n;
    }

    @Override
    public void close() {
        context.close();
    }
}
