package io.switchboard.kafka.warmup;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Which of the service's consumers have had their first partition assignment (empty counts: a consumer beyond the
 * partition count has joined its group and simply has nothing to read). It listens by wrapping each container's
 * rebalance listener, so the service's own listener (the router's guard forgets revoked partitions) still hears
 * every callback. spring-kafka has no assignment event and its containers' assigned partitions do not tell "none
 * yet" from "none"; hence this small wrapper.
 */
public final class FirstAssignments implements SmartLifecycle {

    /** Guarded by this: {@link #await} waits on this monitor and each first assignment wakes it. */
    private final Set<Consumer<?, ?>> assigned = Collections.newSetFromMap(new IdentityHashMap<>());

    private final Supplier<KafkaListenerEndpointRegistry> registry;
    private int expected;
    private volatile boolean running;

    /**
     * @param registry looked up when this starts: a bean this depended on would be started first by Spring's
     *     lifecycle processor, whatever its phase, and the registry starts the containers
     */
    public FirstAssignments(Supplier<KafkaListenerEndpointRegistry> registry) {
        this.registry = registry;
    }

    /** Wraps the rebalance listener of every container of the registry, before the containers start. */
    @Override
    public synchronized void start() {
        running = true;
        if (expected > 0) {
            return; // started again after a stop: the wrappers are in place
        }
        for (MessageListenerContainer container : registry.get().getListenerContainers()) {
            wrap(container);
            if (container instanceof ConcurrentMessageListenerContainer<?, ?> concurrent) {
                // spring-kafka 4 may have made the child containers already, each with its copy of the properties
                concurrent.getContainers().forEach(this::wrap);
                expected += concurrent.getConcurrency();
            } else {
                expected++;
            }
        }
    }

    private void wrap(MessageListenerContainer container) {
        var properties = container.getContainerProperties();
        if (!(properties.getConsumerRebalanceListener() instanceof Tracking)) {
            properties.setConsumerRebalanceListener(new Tracking(properties.getConsumerRebalanceListener()));
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return AbstractMessageListenerContainer.DEFAULT_PHASE - 1;
    }

    /** How many consumers were counted, and how many of them have been assigned. */
    public synchronized int expected() {
        return expected;
    }

    public synchronized int assigned() {
        return assigned.size();
    }

    /** Waits until every consumer has been assigned; false when {@code timeout} passed first. */
    public synchronized boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (assigned.size() < expected) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private synchronized void assigned(Consumer<?, ?> consumer) {
        if (assigned.add(consumer)) {
            notifyAll();
        }
    }

    final class Tracking implements ConsumerAwareRebalanceListener {
        private final ConsumerRebalanceListener delegate;

        Tracking(ConsumerRebalanceListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            if (delegate instanceof ConsumerAwareRebalanceListener aware) {
                aware.onPartitionsAssigned(consumer, partitions);
            } else if (delegate != null) {
                delegate.onPartitionsAssigned(partitions);
            }
            assigned(consumer);
        }

        @Override
        public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            if (delegate instanceof ConsumerAwareRebalanceListener aware) {
                aware.onPartitionsRevokedBeforeCommit(consumer, partitions);
            } else if (delegate != null) {
                delegate.onPartitionsRevoked(partitions);
            }
        }

        @Override
        public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            if (delegate instanceof ConsumerAwareRebalanceListener aware) {
                aware.onPartitionsRevokedAfterCommit(consumer, partitions);
            }
        }

        @Override
        public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            if (delegate instanceof ConsumerAwareRebalanceListener aware) {
                aware.onPartitionsLost(consumer, partitions);
            } else if (delegate != null) {
                delegate.onPartitionsLost(partitions);
            }
        }
    }
}
