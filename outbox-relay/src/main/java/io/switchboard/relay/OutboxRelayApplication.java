package io.switchboard.relay;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** outbox-relay: committed outbox rows to realtime.events, in order per aggregate. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OutboxRelayApplication {

    /** The application with its own config file name (outbox-relay.yml), so services can share one JVM in tests. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(OutboxRelayApplication.class).properties("spring.config.name=outbox-relay");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
