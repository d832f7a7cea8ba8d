package dev.herald.producer;

import java.util.Map;

import dev.herald.support.SupportConfiguration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** producer-api: authenticated ingest of notifications into Kafka, and user-token minting. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(SupportConfiguration.class)
public class ProducerApiApplication {

    /** Its settings live in {@code producer-api.yml}, so that several Herald services can share a classpath. */
    public static final String CONFIG_NAME = "producer-api";

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(ProducerApiApplication.class);
        app.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
        app.run(args);
    }
}
