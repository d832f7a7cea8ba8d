package dev.herald.gateway;

import java.util.Map;

import dev.herald.support.SupportConfiguration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * push-gateway: WebSocket delivery of {@code herald.user-events} to the users of the partitions
 * this gateway owns in group {@code herald-gateway}, with per-partition history for resume.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(SupportConfiguration.class)
public class PushGatewayApplication {

    /** Its settings live in {@code push-gateway.yml}, so that several Herald services can share a classpath. */
    public static final String CONFIG_NAME = "push-gateway";

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(PushGatewayApplication.class);
        app.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
        app.run(args);
    }
}
