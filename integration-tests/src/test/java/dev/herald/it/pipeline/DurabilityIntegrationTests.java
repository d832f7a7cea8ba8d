package dev.herald.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.Kafka;
import dev.herald.it.support.KafkaProcess;
import dev.herald.producer.ProducerApiApplication;
import dev.herald.schema.Topics;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Durable before accepted (invariant 1): with Kafka gone, producer-api answers 503 with Retry-After
 * within its bound, never a false 202, and nothing reaches the stream; once Kafka is back, the
 * retry succeeds exactly once. Uses a broker process of its own, so that killing it harms no other test.
 */
class DurabilityIntegrationTests {

    private static KafkaProcess kafka;
    private static ConfigurableApplicationContext producer;

    @BeforeAll
    static void startOwnBrokerAndProducer() {
        kafka = KafkaProcess.startNew();
        producer = HeraldStack.start(ProducerApiApplication.class, ProducerApiApplication.CONFIG_NAME,
                Map.of("spring.kafka.bootstrap-servers", kafka.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void answers503WhileKafkaIsDownAndTheRetrySucceedsOnceItIsBack() {
        String url = HeraldStack.baseUrl(producer) + "/v1/notifications";
        String user = HeraldStack.newUser("dur");
        Map<String, Object> body = Map.of("userId", user, "type", "order.shipped", "title", "Shipped");
        assertThat(Http.post(url, HeraldStack.API_KEY, body, "Idempotency-Key", "before-outage").status()).isEqualTo(202);

        kafka.kill();
        long started = System.nanoTime();
        Http.Response refused = Http.post(url, HeraldStack.API_KEY, body, "Idempotency-Key", "during-outage");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
        assertThat(took).as("answered within the 5 s send bound").isLessThan(Duration.ofSeconds(7));
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("idempotencyKey").asString()).isEqualTo("during-outage");
        String readiness = HeraldStack.baseUrl(producer) + "/actuator/health/readiness";
        assertThat(Http.get(readiness, null).status()).as("not ready without Kafka").isEqualTo(503);

        // Let the producer's own delivery timeout (5 s) expire the refused record before Kafka returns.
        await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
        kafka.start();
        Http.Response retried = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Http.post(url, HeraldStack.API_KEY, body, "Idempotency-Key", "during-outage"), r -> r.status() == 202);
        String eventId = retried.json().get("notifications").get(0).get("eventId").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(readiness, null).status() == 200);

        // The stream holds the event once: the refused attempt never reached Kafka.
        List<ConsumerRecord<String, byte[]>> records = Kafka.awaitRecords(kafka.bootstrapServers(), Topics.USER_EVENTS,
                record -> new String(record.value(), StandardCharsets.UTF_8).contains(eventId), 1);
        assertThat(records).hasSize(1);
        assertThat(Kafka.awaitRecords(kafka.bootstrapServers(), Topics.USER_EVENTS, record -> user.equals(record.key()), 2))
                .as("the event from before the outage and the retried one").hasSize(2);
    }
}
