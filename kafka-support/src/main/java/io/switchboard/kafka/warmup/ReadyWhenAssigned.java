package io.switchboard.kafka.warmup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * Holds the service's readiness until every consumer has had its first partition assignment: Spring Boot reports
 * ready ({@code /actuator/health/readiness}, and the root health) only once the application runners return. A
 * service that said ready while its consumers were still joining their group made a rolling deploy stop the old
 * instance while nobody read its partitions yet. Past {@code assignment-timeout} it lets readiness go on and says so.
 */
public final class ReadyWhenAssigned implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ReadyWhenAssigned.class);

    private final FirstAssignments assignments;
    private final WarmUpSettings settings;

    public ReadyWhenAssigned(FirstAssignments assignments, WarmUpSettings settings) {
        this.assignments = assignments;
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        long started = System.nanoTime();
        if (assignments.await(settings.assignmentTimeout())) {
            log.info(
                    "all {} consumers have their partitions after {} ms: ready",
                    assignments.expected(),
                    (System.nanoTime() - started) / 1_000_000);
        } else {
            log.warn(
                    "{} of {} consumers have their partitions after {}; reporting ready anyway",
                    assignments.assigned(),
                    assignments.expected(),
                    settings.assignmentTimeout());
        }
    }
}
