package dev.herald.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.herald.auth.ApiKeys;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.Kafka;
import dev.herald.it.support.KafkaProcess;
import dev.herald.producer.ProducerApiApplication;
import dev.herald.schema.Topics;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Durable before accepted (invariant 1): with Kafka gone, producer-api answers 503 with Retry-After
 * within its send-timeout, never a false 202, and only once Kafka's producer has given up on the
 * record, so that a refused record never appears once Kafka is back; the retry succeeds exactly once;
 * refused requests spend none of the key's rate limit. Uses a broker process of its own, behind a gate,
 * so that killing it or cutting it off harms no other test; each test sends with its own API key, so
 * with a rate-limit bucket of its own.
 */
class DurabilityIntegrationTests {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(1);

    /** Events per key; the rate that refills it (one per 1,000 s) adds nothing during a test. */
    private static final int BURST = 5;

    private static final String KILL_KEY = "it-durability-kill-key";
    private static final String CUT_OFF_KEY = "it-durability-cut-off-key";
    private static final String LIMITED_KEY = "it-durability-limited-key";

    private static KafkaProcess kafka;
    private static ConfigurableApplicationContext producer;
    private static String url;

    @BeforeAll
    static void startOwnBrokerAndProducer() {
        kafka = KafkaProcess.startNewBehindGate();
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        properties.put("herald.producer.send-timeout", SEND_TIMEOUT.toMillis() + "ms");
        properties.put("herald.producer.rate-limit.events-per-second", "0.001");
        properties.put("herald.producer.rate-limit.burst", BURST);
        for (String key : List.of(KILL_KEY, CUT_OFF_KEY, LIMITED_KEY)) {
            properties.put("herald.security.api-keys." + key + ".hash", ApiKeys.hash(key));
            properties.put("herald.security.api-keys." + key + ".scopes", "send");
        }
        producer = HeraldStack.start(ProducerApiApplication.class, ProducerApiApplication.CONFIG_NAME, properties);
        url = HeraldStack.baseUrl(producer) + "/v1/notifications";
        // The producer's first send also fetches the topic's metadata and registers the idempotent producer.
        Map<String, Object> warmUp = notification(HeraldStack.newUser("warm-up"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.post(url, HeraldStack.API_KEY, warmUp, "Idempotency-Key", "warm-up").status() == 202);
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
        String user = HeraldStack.newUser("dur");
        Map<String, Object> body = notification(user);
        assertThat(Http.post(url, KILL_KEY, body, "Idempotency-Key", "before-outage").status()).isEqualTo(202);

        kafka.kill();
        long started = System.nanoTime();
        Http.Response refused = Http.post(url, KILL_KEY, body, "Idempotency-Key", "during-outage");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
        assertThat(took).as("answered within the 1 s send-timeout (and the HTTP round trip)").isLessThan(SEND_TIMEOUT.plusSeconds(2));
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("idempotencyKey").asString()).isEqualTo("during-outage");
        String readiness = HeraldStack.baseUrl(producer) + "/actuator/health/readiness";
        assertThat(Http.get(readiness, null).status()).as("not ready without Kafka").isEqualTo(503);

        // No wait for Kafka's producer here: it gave up on the refused record before the 503.
        kafka.start();
        Http.Response retried = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Http.post(url, KILL_KEY, body, "Idempotency-Key", "during-outage"), r -> r.status() == 202);
        String eventId = retried.json().get("notifications").get(0).get("eventId").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(readiness, null).status() == 200);

        // The stream holds the event once: the refused attempt never reached Kafka.
        List<ConsumerRecord<String, byte[]>> records = Kafka.awaitRecords(kafka.bootstrapServers(), Topics.USER_EVENTS,
                record -> new String(record.value(), StandardCharsets.UTF_8).contains(eventId), 1);
        assertThat(records).hasSize(1);
        assertThat(Kafka.awaitRecords(kafka.bootstrapServers(), Topics.USER_EVENTS, record -> user.equals(record.key()), 2))
                .as("the event from before the outage and the retried one").hasSize(2);
    }

    @Test
    void aRecordRefusedWith503NeverReachesTheStreamOnceKafkaIsBack() {
        String user = HeraldStack.newUser("cut-off");

        kafka.disconnect();
        Http.Response refused;
        Duration took;
        try {
            long started = System.nanoTime();
            refused = Http.post(url, CUT_OFF_KEY, notification(user), "Idempotency-Key", "refused-" + user);
            took = Duration.ofNanos(System.nanoTime() - started);
        }
        finally {
            // At once: a record the producer still held would be delivered within a second or two.
            kafka.reconnect();
        }
        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
        assertThat(took).as("answered within the 1 s send-timeout (and the HTTP round trip)").isLessThan(SEND_TIMEOUT.plusSeconds(2));

        Http.Response accepted = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.post(url, CUT_OFF_KEY, notification(user), "Idempotency-Key", "accepted-" + user),
                        r -> r.status() == 202);
        String eventId = accepted.json().get("notifications").get(0).get("eventId").asString();

        // The user's records share one partition, in order: read to its end after the accepted one,
        // the stream would show a late refused record before it.
        List<String> ofUser = Kafka.readToEnd(kafka.bootstrapServers(), Topics.USER_EVENTS).stream()
                .filter(record -> user.equals(record.key()))
                .map(record -> new String(record.value(), StandardCharsets.UTF_8))
                .toList();
        assertThat(ofUser).as("only the accepted event: the refused one was never written").hasSize(1);
        assertThat(ofUser.get(0)).contains(eventId);
    }

    @Test
    void requestsRefusedByKafkaSpendNoneOfTheRateLimit() {
        String user = HeraldStack.newUser("limited");

        kafka.disconnect();
        try {
            for (int i = 0; i < BURST + 2; i++) {
                Http.Response refused = Http.post(url, LIMITED_KEY, notification(user));
                assertThat(refused.status()).as("request %d while Kafka is away: %s", i, refused).isEqualTo(503);
            }
        }
        finally {
            kafka.reconnect();
        }

        // The key's whole allowance is there once Kafka is back, and no more.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.post(url, LIMITED_KEY, notification(user), "Idempotency-Key", "limited-0-" + user).status(),
                        status -> status == 202);
        for (int i = 1; i < BURST; i++) {
            Http.Response accepted = Http.post(url, LIMITED_KEY, notification(user), "Idempotency-Key", "limited-" + i + "-" + user);
            assertThat(accepted.status()).as("event %d of the allowance: %s", i, accepted).isEqualTo(202);
        }
        Http.Response limited = Http.post(url, LIMITED_KEY, notification(user));
        assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
    }

    private static Map<String, Object> notification(String user) {
        return Map.of("userId", user, "type", "order.shipped", "title", "Shipped");
    }
}
