package io.switchboard.gateway.config;

import io.switchboard.gateway.console.ConsoleFeed;
import io.switchboard.gateway.console.ConsoleState;
import io.switchboard.gateway.console.ConsoleTrace;
import io.switchboard.gateway.console.LiveView;
import io.switchboard.gateway.console.MetricsScraper;
import io.switchboard.kafka.trace.JourneyFinder;
import io.switchboard.kafka.trace.KafkaTopicSource;
import io.switchboard.kafka.trace.RecordValues;
import io.switchboard.kafka.trace.TraceTopics;
import io.switchboard.schemas.wire.SchemaRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The live console (docs/console.md), only when {@code switchboard.console.enabled}: its feed (a Kafka consumer of
 * its own, started here and stopped with the context), the stages' counters, and the page's static files. Its HTTP
 * security is SecurityConfig's console chain; its JSON endpoints are {@code console.ConsoleController}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ConsoleEnabled.class)
public class ConsoleConfig implements WebMvcConfigurer {

    /** The page's files: plain HTML, one script, one style sheet and pusher-js's web build. */
    static final String STATIC = "classpath:/io/switchboard/gateway/console/web/";

    /** How long the trace search waits on Kafka for one request, and for a record while a read is unfinished. */
    static final Duration TRACE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ConsoleConfig.class);

    @Bean
    ConsoleState consoleState(ConsoleProperties properties, Clock clock) {
        return new ConsoleState(properties.capacity(), clock);
    }

    @Bean
    RecordValues consoleRecordValues(ConsoleProperties properties) {
        return new RecordValues(SchemaRegistry.forUrl(blankToNull(properties.schemaRegistryUrl())));
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    ConsoleFeed consoleFeed(ConsoleProperties properties, ConsoleState state, RecordValues values, Clock clock) {
        Map<String, Object> config = consumerConfig(properties);
        log.info("console: reading {} from {}", properties.topics().feedTopics(), properties.bootstrapServers());
        return new ConsoleFeed(
                () -> new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                properties.topics().feedTopics(),
                values,
                state,
                properties.capacity(),
                properties.bootstrapServers(),
                clock);
    }

    /** The trace search: kafka-support's trace core over the console's own consumers. */
    @Bean
    ConsoleTrace consoleTrace(ConsoleProperties properties, RecordValues values, Clock clock) {
        Map<String, Object> config = consumerConfig(properties);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, "switchboard-console-trace");
        ConsoleProperties.Topics topics = properties.topics();
        return new ConsoleTrace(
                new JourneyFinder(new TraceTopics(topics.events(), topics.publish(), topics.ledger()), values),
                (from, to) -> new KafkaTopicSource(
                        () -> new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                        from,
                        to,
                        TRACE_TIMEOUT),
                properties.traceWindow(),
                clock,
                ConsoleTrace.Budget.DEFAULT);
    }

    /**
     * The page's pusher-js settings, from the gateway's own Pusher app: the key, and where browsers connect, which
     * may differ from where the gateway calls ({@link ConsoleProperties#browserWsHost}).
     */
    @Bean
    LiveView consoleLiveView(ConsoleProperties properties, PusherProperties pusher) {
        String host = properties.browserWsHost(pusher);
        return new LiveView(
                pusher.key(),
                pusher.cluster(),
                host,
                host == null ? null : properties.browserWsPort(pusher),
                pusher.encrypted(),
                SecurityConfig.AUTH,
                properties.liveChannels());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    MetricsScraper consoleMetrics(ConsoleProperties properties, Clock clock) {
        return new MetricsScraper(
                properties.metrics().byStage(), properties.metrics().interval(), clock);
    }

    /**
     * A reader's settings: no group and no commits (partitions are assigned), read_committed, short timeouts so a
     * missing broker is reported within seconds; then the operator's extra properties (SASL, TLS), which win.
     */
    static Map<String, Object> consumerConfig(ConsoleProperties properties) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, "switchboard-console");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        config.putAll(properties.kafka());
        return config;
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/console/**").addResourceLocations(STATIC);
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/console", "/console/");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
