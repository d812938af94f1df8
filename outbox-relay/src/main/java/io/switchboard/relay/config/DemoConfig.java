package io.switchboard.relay.config;

import io.switchboard.relay.demo.DemoCatalog;
import io.switchboard.relay.demo.DemoEvents;
import io.switchboard.relay.demo.DemoFeed;
import io.switchboard.relay.demo.DemoPacer;
import io.switchboard.relay.demo.DemoSink;
import io.switchboard.relay.outbox.OutboxWriter;
import io.switchboard.relay.outbox.OutboxWriter.OutboxMessage;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

/**
 * The demo of {@code ./switchboard dev}, on only with {@code switchboard.demo.enabled=true}: the five teams' rows go
 * into the outbox through {@link OutboxWriter}, as a domain service's would.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "switchboard.demo.enabled", havingValue = "true")
public class DemoConfig {

    /** How often the demo looks for due rows; the rate decides how many it writes. */
    static final Duration TICK = Duration.ofMillis(50);

    /** The outbox; a test supplies its own sink. */
    @Bean
    @ConditionalOnMissingBean(DemoSink.class)
    DemoSink demoSink(OutboxWriter writer) {
        return row -> {
            try {
                writer.write(new OutboxMessage(
                        row.type(),
                        row.aggregateType(),
                        row.aggregateId(),
                        row.payload(),
                        row.channels(),
                        null,
                        null,
                        row.source()));
            } catch (DataAccessException e) {
                throw new DemoSink.Unavailable(e.getMostSpecificCause().getMessage(), e);
            }
        };
    }

    @Bean
    DemoEvents demoEvents(DemoProperties properties, DemoSink sink, Clock clock) {
        // this start of the relay, in base 36: short, and new at every start
        String launch = Long.toString(clock.instant().getEpochSecond(), 36);
        DemoFeed feed =
                new DemoFeed(DemoCatalog.load().teams(), properties.anomalyEvery(), properties.payloadLimit(), launch);
        return new DemoEvents(feed, new DemoPacer(properties.rate(), clock), sink, clock, properties.payloadLimit());
    }

    @Bean
    SchedulingConfigurer demoSchedule(DemoEvents demo) {
        return registrar -> registrar.addFixedDelayTask(demo::tick, TICK);
    }

    /** The context announces its closing before it stops the relay loop (the lifecycle): the demo stops first. */
    @Bean
    ApplicationListener<ContextClosedEvent> demoStop(DemoEvents demo) {
        return event -> demo.stop();
    }
}
