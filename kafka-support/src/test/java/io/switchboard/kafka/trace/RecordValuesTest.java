package io.switchboard.kafka.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordValuesTest {

    /** The command line's trace must be able to say "nothing matches, but some records could not be read". */
    @Test
    void aRecordThatCannotBeDecodedReadsAsNullAndIsToldWithItsReason() {
        List<String> told = new ArrayList<>();
        RecordValues values = new RecordValues(
                PinnedSchemaRegistry.instance(), (record, reason) -> told.add(record.offset() + " " + reason));
        ConsumerRecord<byte[], byte[]> unknownId =
                new ConsumerRecord<>("realtime.events", 0, 7, null, new byte[] {0, 0, 0, 0x27, 0x0f, 2, 4, 6});
        ConsumerRecord<byte[], byte[]> notFramed =
                new ConsumerRecord<>("realtime.ledger", 0, 8, null, new byte[] {'{'});

        assertThat(values.eventOrPublish(unknownId)).isNull();
        assertThat(values.receipt(notFramed)).isNull();
        assertThat(told).hasSize(2);
        assertThat(told.get(0)).startsWith("7 UNKNOWN_SCHEMA_ID: schema id 9999");
        assertThat(told.get(1)).startsWith("8 NOT_FRAMED: ");
    }
}
