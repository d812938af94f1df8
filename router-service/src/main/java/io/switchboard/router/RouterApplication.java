package io.switchboard.router;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** router-service: realtime.events in, realtime.publish (and realtime.events.dlq) out. */
// No database here: excluded by name so the service also starts beside outbox-relay in one JVM (end-to-end tests).
@SpringBootApplication(
        excludeName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"
        })
@ConfigurationPropertiesScan
public class RouterApplication {

    /** The application with its own config file name (router-service.yml), so services can share one JVM in tests. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(RouterApplication.class).properties("spring.config.name=router-service");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
