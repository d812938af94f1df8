package io.switchboard.gateway;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * gateway-service: the browser-facing edge. Channel auth, user auth and the operators' test endpoint; no Kafka
 * consumer, so it scales on its own and keeps answering browsers while the pipeline behind it restarts. The live
 * console (docs/console.md), off by default, is its only Kafka reader, and auth does not depend on it.
 */
@SpringBootApplication(
        excludeName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"
        })
@ConfigurationPropertiesScan
public class GatewayApplication {

    /** The application with its own config file name (gateway-service.yml), so services can share one JVM in tests. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(GatewayApplication.class).properties("spring.config.name=gateway-service");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
