package io.switchboard.relay.relay;

import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.schemas.RealtimeEvent;
import java.util.concurrent.CompletableFuture;

/**
 * Where relayed rows go: Kafka in the service, a list in unit tests. Futures complete once the write is durable.
 *
 * <p>A record that can never be written is a {@link BadRowException}: thrown at once when the sink can tell before
 * sending (the serialized record is too large), or as the future's failure when Kafka refuses it for good. Any other
 * failure may pass, and the rows are sent again.
 */
public interface EventSink {

    /** Sends the row's event, keyed by its aggregate id. */
    CompletableFuture<?> publish(OutboxRow row, RealtimeEvent event);

    /** Writes a dead letter. */
    CompletableFuture<?> deadLetter(DeadLetter letter);
}
