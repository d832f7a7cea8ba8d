package dev.herald.store;

import java.util.Map;

import dev.herald.support.SupportConfiguration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** notification-store: the durable inbox, a projection of herald.user-events into MySQL. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(SupportConfiguration.class)
public class NotificationStoreApplication {

    /** Its settings live in {@code notification-store.yml}, so that several Herald services can share a classpath. */
    public static final String CONFIG_NAME = "notification-store";

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(NotificationStoreApplication.class);
        app.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
        app.run(args);
    }
}
