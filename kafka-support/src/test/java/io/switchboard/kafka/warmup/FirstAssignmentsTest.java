package io.switchboard.kafka.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

class FirstAssignmentsTest {

    private final FirstAssignments assignments = new FirstAssignments(() -> null);
    private final List<TopicPartition> partitions = List.of(new TopicPartition("realtime.events", 2));

    /** The router's guard forgets revoked partitions through its own listener: the wrapper must not swallow that. */
    @Test
    void theServicesOwnListenerStillHearsEveryCallback() {
        List<String> heard = new ArrayList<>();
        ConsumerAwareRebalanceListener own = new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> c, Collection<TopicPartition> p) {
                heard.add("revoked-before " + p);
            }

            @Override
            public void onPartitionsRevokedAfterCommit(Consumer<?, ?> c, Collection<TopicPartition> p) {
                heard.add("revoked-after " + p);
            }

            @Override
            public void onPartitionsLost(Consumer<?, ?> c, Collection<TopicPartition> p) {
                heard.add("lost " + p);
            }

            @Override
            public void onPartitionsAssigned(Consumer<?, ?> c, Collection<TopicPartition> p) {
                heard.add("assigned " + p);
            }
        };
        Consumer<?, ?> consumer = mock(Consumer.class);
        var tracking = assignments.new Tracking(own);
        tracking.onPartitionsAssigned(consumer, partitions);
        tracking.onPartitionsRevokedBeforeCommit(consumer, partitions);
        tracking.onPartitionsRevokedAfterCommit(consumer, partitions);
        tracking.onPartitionsLost(consumer, partitions);
        assertThat(heard)
                .containsExactly(
                        "assigned " + partitions,
                        "revoked-before " + partitions,
                        "revoked-after " + partitions,
                        "lost " + partitions);
    }

    @Test
    void aPlainListenerHearsItsThreeCallbacks() {
        List<String> heard = new ArrayList<>();
        ConsumerRebalanceListener plain = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> p) {
                heard.add("revoked");
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> p) {
                heard.add("assigned");
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> p) {
                heard.add("lost");
            }
        };
        Consumer<?, ?> consumer = mock(Consumer.class);
        var tracking = assignments.new Tracking(plain);
        tracking.onPartitionsAssigned(consumer, partitions);
        tracking.onPartitionsRevokedBeforeCommit(consumer, partitions);
        tracking.onPartitionsRevokedAfterCommit(consumer, partitions);
        tracking.onPartitionsLost(consumer, partitions);
        assertThat(heard).containsExactly("assigned", "revoked", "lost");
    }

    /** An empty assignment counts: a consumer beyond the partition count has joined and has nothing to read. */
    @Test
    void eachConsumerCountsOnceAndAnEmptyAssignmentCounts() {
        var tracking = assignments.new Tracking(null);
        Consumer<?, ?> first = mock(Consumer.class);
        Consumer<?, ?> second = mock(Consumer.class);
        tracking.onPartitionsAssigned(first, partitions);
        tracking.onPartitionsAssigned(first, partitions);
        tracking.onPartitionsAssigned(second, List.of());
        assertThat(assignments.assigned()).isEqualTo(2);
    }
}
