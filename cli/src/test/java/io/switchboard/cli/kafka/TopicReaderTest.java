package io.switchboard.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicReaderTest {

    @Test
    void aLongReadReportsItsRateAndWhatIsLeft() {
        assertThat(TopicReader.progressLine(12_000, 50_000, 2_000_000_000L))
                .isEqualTo("read 12000 of 50000 records (6000/s, about 7s left)");
        assertThat(TopicReader.progressLine(0, 50_000, 2_000_000_000L))
                .isEqualTo("read 0 of 50000 records (0/s, ETA unknown)");
    }
}
