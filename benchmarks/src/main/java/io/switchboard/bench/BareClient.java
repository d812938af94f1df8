package io.switchboard.bench;

import com.pusher.rest.Pusher;
import com.pusher.rest.PusherAsync;
import com.pusher.rest.data.Event;
import com.pusher.rest.data.Result;
import io.switchboard.testkit.Soketi;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.asynchttpclient.Dsl;

/**
 * pusher-http-java driving Soketi directly, with nothing of Switchboard around it, in this JVM. Two ways:
 *
 * <ul>
 *   <li>{@link #ceiling}: Soketi's ingest ceiling, {@code batch_events} of 10 events per request with
 *       {@code inFlight} requests in flight on {@code ioThreads} Netty I/O threads: the most this Soketi takes, and
 *       the CPU per event of a bare client, which the publisher's is held against;
 *   <li>{@link #naive}: one synchronous {@code trigger} per event, as the source systems publish.
 * </ul>
 *
 * Events are single-channel, spread over 1,000 channels, with seed 002's progress payload.
 */
final class BareClient {

    private static final String DATA = SeedEvents.PROGRESS_DATA;

    private final int ioThreads;
    private final int inFlight;

    /**
     * One I/O thread, like publisher-service: measured 150k events/s against 87–118k with Netty's default of twice
     * the cores; 32 in flight.
     */
    BareClient(int ioThreads, int inFlight) {
        this.ioThreads = ioThreads;
        this.inFlight = inFlight;
    }

    /** Soketi driven with {@code batch_events} of 10, as fast as it answers; fails if any request failed. */
    PhaseMeter.Measured ceiling(int n, PhaseMeter meter) throws Exception {
        try (PusherAsync pusher = asyncClient()) {
            Semaphore slots = new Semaphore(inFlight);
            AtomicInteger failures = new AtomicInteger();
            List<CompletableFuture<Result>> calls = new ArrayList<>();
            PhaseMeter.Phase phase = meter.start();
            for (int i = 0; i < n; i += 10) {
                List<Event> batch = new ArrayList<>(10);
                for (int j = i; j < Math.min(n, i + 10); j++) {
                    batch.add(new Event("bench-" + (j % 1000), "audit.progress", DATA));
                }
                slots.acquire();
                calls.add(pusher.trigger(batch).whenComplete((result, error) -> {
                    slots.release();
                    // Soketi answers its errors with status 200 and an "error" body
                    if (error != null
                            || result.getHttpStatus() == null
                            || result.getHttpStatus() != 200
                            || result.getMessage().contains("\"error\"")) {
                        failures.incrementAndGet();
                    }
                }));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            PhaseMeter.Measured measured = phase.end("soketi ceiling", n);
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " direct batch requests failed");
            }
            return measured;
        }
    }

    /** The source systems' way: one synchronous trigger per event, one after the other. */
    PhaseMeter.Measured naive(int n, PhaseMeter meter) {
        Pusher pusher = new Pusher(Soketi.APP_ID, Soketi.KEY, Soketi.SECRET);
        pusher.setHost("127.0.0.1:" + Soketi.port());
        pusher.setEncrypted(false);
        pusher.setDataMarshaller(data -> (String) data);
        PhaseMeter.Phase phase = meter.start();
        for (int i = 0; i < n; i++) {
            Result result = pusher.trigger("bench-" + (i % 1000), "audit.progress", DATA);
            if (result.getHttpStatus() == null || result.getHttpStatus() != 200) {
                throw new IllegalStateException("naive trigger failed: " + result.getMessage());
            }
        }
        return phase.end("naive sync", n);
    }

    private PusherAsync asyncClient() {
        PusherAsync pusher = new PusherAsync(Soketi.APP_ID, Soketi.KEY, Soketi.SECRET);
        pusher.configureHttpClient(Dsl.config().setIoThreadsCount(ioThreads));
        pusher.setHost("127.0.0.1:" + Soketi.port());
        pusher.setEncrypted(false);
        pusher.setDataMarshaller(data -> (String) data);
        return pusher;
    }
}
