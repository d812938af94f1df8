package io.switchboard.relay.demo;

import io.switchboard.relay.outbox.OutboxWriter;
import io.switchboard.relay.outbox.OutboxWriter.OutboxMessage;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code ./switchboard dev} turns this on ({@code switchboard.demo.enabled=true}): every few seconds it writes a
 * seed-shaped audit event (seed 002) into the outbox, as a domain service would, so an event visibly flows.
 */
@Component
@ConditionalOnProperty(name = "switchboard.demo.enabled", havingValue = "true")
public class DemoEvents {

    private static final Logger log = LoggerFactory.getLogger(DemoEvents.class);

    private final OutboxWriter writer;
    private final AtomicInteger step = new AtomicInteger();

    public DemoEvents(OutboxWriter writer) {
        this.writer = writer;
    }

    @Scheduled(
            initialDelayString = "${switchboard.demo.interval:3s}",
            fixedDelayString = "${switchboard.demo.interval:3s}")
    public void writeOne() {
        int n = step.incrementAndGet();
        int position = (n - 1) % 5 + 1;
        String payload = """
                {"audit_id":"audit-demo-1","fiche_id":"1787121","step_position":%d,"step_name":"Step %d",\
                "score":%d,"max_score":10,"conforme":true,"total_citations":2,"tokens_used":%d,"status":"completed"}""".formatted(position, position, 5 + position, 1000 + n);
        writer.write(OutboxMessage.of("audit.step_completed", "audit", "audit-demo-1", payload));
        log.info("demo: wrote audit.step_completed #{} into the outbox", n);
    }
}
