package dev.herald.it.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.Kafka;
import dev.herald.it.support.Scrape;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.Cursor;
import dev.herald.schema.Topics;

/** After real traffic, every documented metric is exported with a sensible value, and readiness is up. */
class MetricsIntegrationTests {

    /** herald.kafka.channel-partitions' default. */
    private static final int CHANNEL_PARTITIONS = 4;

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void producerAndStoreExportTheirDocumentedMetricsAfterTraffic() {
        String user = HeraldStack.newUser("metrics");
        stack.send(user, "Counted");
        Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY, Map.of("userId", user));
        List<Cursor> poison = Kafka.produce(TestKafka.bootstrapServers(), Topics.USER_EVENTS,
                List.of(Map.entry(user, "poison".getBytes(StandardCharsets.UTF_8))));
        String last = stack.send(user, "After the poison");
        stack.awaitInbox(user, 2);
        assertThat(last).isNotBlank();

        Scrape producer = Scrape.of(stack.producerUrl());
        assertThat(producer.sum("herald_producer_events_accepted_total", "source=\"it\"")).isGreaterThanOrEqualTo(2);
        assertThat(producer.sum("herald_producer_requests_rejected_total", "reason=\"invalid\"", "source=\"it\"")).isGreaterThanOrEqualTo(1);
        assertThat(producer.sum("herald_producer_kafka_send_seconds_count", "outcome=\"acknowledged\"")).isGreaterThanOrEqualTo(2);
        assertThat(producer.has("herald_producer_kafka_send_seconds_bucket")).isTrue();
        for (String reason : List.of("rate_limited", "forbidden", "kafka_unavailable")) {
            assertThat(producer.samples()).as("exists from start-up: " + reason).anyMatch(s -> s.name()
                    .equals("herald_producer_requests_rejected_total") && s.labels().contains("reason=\"" + reason + "\"")
                    && s.labels().contains("source=\"it\""));
        }
        assertThat(producer.sum("kafka_producer_record_send_total")).isGreaterThanOrEqualTo(2);

        Scrape store = Scrape.of(stack.storeUrl());
        assertThat(store.sum("herald_store_events_persisted_total")).isGreaterThanOrEqualTo(2);
        assertThat(store.has("herald_store_events_duplicates_total")).isTrue();
        // Counted once the DLT acknowledged it, just after the commit that the inbox already shows.
        await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.of(stack.storeUrl()).sum("herald_store_events_dead_lettered_total") >= 1);
        assertThat(store.sum("herald_store_persist_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(store.sum("herald_store_applied_offset", "partition=\"" + poison.get(0).partition() + "\""))
                .isGreaterThanOrEqualTo(poison.get(0).offset());
        assertThat(store.has("kafka_consumer_fetch_manager_records_lag_max")).isTrue();
        // Every partition is reported, also those the group has not committed anything in.
        await().atMost(Duration.ofSeconds(30)).until(() -> Scrape.of(stack.storeUrl()).samples().stream()
                .filter(s -> s.name().equals("herald_consumer_lag") && s.labels().contains("group=\"herald-store\"")
                        && s.labels().contains("topic=\"" + Topics.USER_EVENTS + "\""))
                .count() == Gateways.PARTITIONS);
        await().atMost(Duration.ofSeconds(30)).until(() -> Scrape.of(stack.storeUrl()).samples().stream()
                .filter(s -> s.name().equals("herald_consumer_lag") && s.labels().contains("group=\"herald-store-channels\"")
                        && s.labels().contains("topic=\"" + Topics.CHANNEL_EVENTS + "\""))
                .count() == CHANNEL_PARTITIONS);
        assertThat(store.samples()).allMatch(s -> !s.name().startsWith("herald_") || s.labels().contains("application=\"notification-store\""));
    }

    @Test
    void readinessIncludesKafkaAndTheDatabase() {
        JsonNode producer = Http.get(stack.producerUrl() + "/actuator/health/readiness", null).json();
        JsonNode store = Http.get(stack.storeUrl() + "/actuator/health/readiness", null).json();

        assertThat(producer.get("status").asString()).isEqualTo("UP");
        assertThat(store.get("status").asString()).isEqualTo("UP");
        assertThat(Http.get(stack.storeUrl() + "/actuator/health", null).json().get("components").get("kafka").get("status").asString())
                .isEqualTo("UP");
    }
}
