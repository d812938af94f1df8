package io.switchboard.relay.relay;

import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.schemas.RealtimeEvent;
import java.util.concurrent.CompletableFuture;

/** Where relayed rows go: Kafka in the service, a list in unit tests. Futures complete once the write is durable. */
public interface EventSink {

    CompletableFuture<?> publish(String key, RealtimeEvent event);

    CompletableFuture<?> deadLetter(OutboxRow row, BadRowException reason);
}
