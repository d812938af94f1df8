package io.switchboard.bench;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.publisher.dedupe.InMemoryDedupeStore;
import io.switchboard.publisher.ingest.OrderedDelivery;
import io.switchboard.publisher.ingest.PublisherMetrics;
import io.switchboard.publisher.publish.Dispatcher;
import io.switchboard.publisher.publish.PublishOutcome;
import io.switchboard.publisher.publish.PusherGateway;
import io.switchboard.publisher.publish.PusherMessage;
import io.switchboard.publisher.publish.PusherRequest;
import io.switchboard.publisher.publish.ResilientSender;
import io.switchboard.publisher.publish.RetryAfterGate;
import io.switchboard.schemas.ChannelPublish;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The publisher's own work on one poll, without HTTP or Kafka: per-key ordering, batching, the resilience4j chain,
 * the in-memory dedupe store at its default size, and metrics, against a gateway that accepts every request at
 * once. Scores are per event. {@code sendOnly} is the baseline measured in the same run: the same events cut into
 * the same batch_events requests and sent through the same resilience chain, with no ordering and no dedupe.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class DeliveryBenchmark {

    /** Records per poll and Kafka keys among them, as in the publisher-load harness (1,000 keys, 3 partitions). */
    static final int POLL = 500;

    static final int KEYS_PER_POLL = 333;

    private ScheduledExecutorService scheduler;
    private ResilientSender sender;
    private OrderedDelivery delivery;
    private long next;
    private List<ConsumerRecord<String, ChannelPublish>> records;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        PusherGateway accepting = request -> CompletableFuture.completedFuture(PublishOutcome.delivered(200));
        sender = new ResilientSender(
                accepting,
                Retry.of(
                        "bench",
                        RetryConfig.<PublishOutcome>custom().maxAttempts(8).build()),
                CircuitBreaker.ofDefaults("bench"),
                null,
                new RetryAfterGate(Clock.systemUTC(), Duration.ofSeconds(60)),
                scheduler,
                Duration.ofSeconds(10));
        delivery = new OrderedDelivery(
                new Dispatcher(sender, 32),
                new InMemoryDedupeStore(Duration.ofMinutes(10), 500_000, Clock.systemUTC()),
                (record, failure) -> {
                    throw new IllegalStateException("nothing should be dead-lettered: " + failure.getMessage());
                },
                new PublisherMetrics(new SimpleMeterRegistry(), Clock.systemUTC()));
        // fill the store first, so that every measured poll also pushes the oldest pairs out, as in a long run
        for (int i = 0; i < 500_000 / POLL + 1; i++) {
            newPoll();
            deliverPoll();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scheduler.shutdownNow();
    }

    /** A new poll of new events each time: the store must not answer from the previous ones. */
    @Setup(Level.Invocation)
    public void newPoll() {
        List<ConsumerRecord<String, ChannelPublish>> poll = new ArrayList<>(POLL);
        for (int i = 0; i < POLL; i++) {
            String key = "audit-" + (i % KEYS_PER_POLL);
            ChannelPublish publish = SeedEvents.progressPublish("bench-" + next++, key);
            poll.add(new ConsumerRecord<>("realtime.publish", 0, next, key, publish));
        }
        records = poll;
    }

    @Benchmark
    @OperationsPerInvocation(POLL)
    public int deliverPoll() throws InterruptedException {
        int unsettled = delivery.deliver(records);
        if (unsettled >= 0) {
            throw new IllegalStateException("record " + unsettled + " was not settled");
        }
        return unsettled;
    }

    @Benchmark
    @OperationsPerInvocation(POLL)
    public int sendOnly() {
        List<CompletableFuture<?>> sent = new ArrayList<>(POLL / PusherRequest.MAX_BATCH);
        List<PusherMessage> batch = new ArrayList<>(PusherRequest.MAX_BATCH);
        for (ConsumerRecord<String, ChannelPublish> record : records) {
            ChannelPublish p = record.value();
            batch.add(new PusherMessage(p.getEventId(), p.getName(), p.getChannels(), p.getData(), p.getSocketId()));
            if (batch.size() == PusherRequest.MAX_BATCH) {
                sent.add(sender.send(new PusherRequest(batch)));
                batch.clear();
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        return sent.size();
    }
}
