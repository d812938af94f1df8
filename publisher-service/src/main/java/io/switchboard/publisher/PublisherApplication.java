package io.switchboard.publisher;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * publisher-service: realtime.publish in, Pusher out (realtime.publish.dlq for failures). Delivery only: the
 * browser-facing channel auth lives in gateway-service, so that browsers can subscribe while this consumer restarts.
 */
// No database here: excluded by name so the service also starts beside outbox-relay in one JVM (end-to-end tests).
@SpringBootApplication(
        excludeName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"
        })
@ConfigurationPropertiesScan
public class PublisherApplication {

    /** The application with its own config file name (publisher-service.yml), so services can share one JVM in tests. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(PublisherApplication.class)
                .properties("spring.config.name=publisher-service");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
