package io.switchboard.router.guard;

import java.util.Collection;
import java.util.Map;

/**
 * Where the progress guard keeps the last progress of each run: in memory (one instance) or in Redis (shared by
 * every instance, across rebalances and restarts). Keys are opaque strings made by {@link ProgressGuard}.
 */
public interface ProgressStore extends AutoCloseable {

    /** A change to one key, saved once the output of the event that made it is durable. */
    sealed interface Change {}

    /** Lift the key to {@code value} unless it already holds more (a compare-and-set). */
    record Raise(double value) implements Change {}

    /** Set the key to {@code value} whatever it holds (a run ended and a new one began within one poll). */
    record Replace(double value) implements Change {}

    /** Forget the key: its run ended. */
    record Forget() implements Change {}

    /** The last progress held for each of these keys of one partition; keys without one are absent. */
    Map<String, Double> load(int partition, Collection<String> keys);

    /** Saves the changes of one partition's records, in one go. */
    void save(int partition, Map<String, Change> changes);

    /** This instance no longer owns these partitions. */
    default void revoked(Collection<Integer> partitions) {}

    @Override
    default void close() {}
}
