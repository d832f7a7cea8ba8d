package dev.herald.it.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.Kafka;
import dev.herald.it.support.TestDatabase;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.Receipt;
import dev.herald.schema.ReceiptCodec;
import dev.herald.schema.Topics;

/**
 * The receipt tracker against a real broker and MariaDB: notifications sent through producer-api,
 * receipts written to herald.receipts as a gateway writes them, alerts read from the webhook
 * ({@link WebhookReceiver}, which checks each signature itself) and from herald.receipt-alerts.
 * The windows are short ({@link ReceiptTracker}): not delivered within 2 s, unseen within 5 s.
 */
class ReceiptsIntegrationTests {

    private static HeraldStack stack;
    private static ReceiptTracker tracker;

    @BeforeAll
    static void start() {
        stack = HeraldStack.get();
        tracker = ReceiptTracker.get();
    }

    @Test
    void anOfflineUsersNotificationIsReportedNotDeliveredBySignedWebhookAndOnTheTopic() {
        String user = HeraldStack.newUser("offline");
        Instant sent = Instant.now();
        String eventId = stack.send(user, "Your order shipped");

        WebhookReceiver.Request request = await().atMost(Duration.ofSeconds(15))
                .until(() -> tracker.webhook().requestsFor(user), requests -> !requests.isEmpty()).get(0);

        long after = request.receivedAtMillis() - sent.toEpochMilli();
        assertThat(after).as("ms after sending").isBetween(ReceiptTracker.UNDELIVERED_AFTER_MS - 100,
                ReceiptTracker.UNDELIVERED_AFTER_MS + 3_000);
        assertThat(request.signatureValid()).as("signature %s", request.signature()).isTrue();
        JsonNode alert = request.alert();
        assertThat(alert.get("kind").asString()).isEqualTo("not_delivered");
        assertThat(alert.get("userId").asString()).isEqualTo(user);
        assertThat(alert.get("eventId").asString()).isEqualTo(eventId);
        assertThat(alert.get("source").asString()).isEqualTo("it");
        assertThat(alert.get("type").asString()).isEqualTo("chat.message");
        assertThat(alert.get("title").asString()).isEqualTo("Your order shipped");
        assertThat(alert.get("deliveredAt").isNull()).isTrue();
        Instant accepted = Instant.parse(alert.get("acceptedAt").asString());
        assertThat(Instant.parse(alert.get("dueAt").asString())).isEqualTo(accepted.plusMillis(ReceiptTracker.UNDELIVERED_AFTER_MS));
        assertThat(request.deliveryId()).isEqualTo(alert.get("deliveryId").asString()).hasSize(36);
        assertThat(request.attempt()).isEqualTo(1);

        ConsumerRecord<String, byte[]> published = Kafka.awaitRecord(TestKafka.bootstrapServers(), Topics.RECEIPT_ALERTS,
                record -> record.key().equals(user));
        assertThat(EnvelopeCodec.mapper().readTree(published.value())).isEqualTo(alert);
        // Never delivered, never seen: unseen follows, and then nothing is pending for it.
        await().atMost(Duration.ofSeconds(15)).until(() -> kinds(user), kinds -> kinds.contains("unseen"));
        await().atMost(Duration.ofSeconds(5)).until(() -> tracker.rows("SELECT * FROM receipt_watches WHERE user_id = ?", user).isEmpty());
        assertThat(kinds(user)).containsExactly("not_delivered", "unseen");
    }

    @Test
    void aDeliveredReceiptAnswersNotDeliveredButTheUserStillHasToSeeIt() {
        String user = HeraldStack.newUser("delivered");
        String eventId = stack.send(user, "Hello");
        Instant deliveredAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        receipt(Receipt.delivered(user, eventId, deliveredAt, "ws://it-gateway/ws", 2));

        await().atMost(Duration.ofSeconds(15)).until(() -> kinds(user), kinds -> !kinds.isEmpty());

        WebhookReceiver.Request unseen = tracker.webhook().requestsFor(user).get(0);
        assertThat(unseen.alert().get("kind").asString()).isEqualTo("unseen");
        assertThat(unseen.alert().get("deliveredAt").asString()).isEqualTo(deliveredAt.toString());
        assertThat(kinds(user)).as("never not_delivered").containsExactly("unseen");
    }

    @Test
    void aSeenReceiptAReadOrTheSeenStateBeforeTheDeadlineMeansNoAlertAtAll() {
        String seer = HeraldStack.newUser("seer");
        String reader = HeraldStack.newUser("reader");
        String stater = HeraldStack.newUser("stater");
        String control = HeraldStack.newUser("control");
        String seen = stack.send(seer, "Seen");
        String read = stack.send(reader, "Read");
        stack.send(stater, "Seen in the inbox");
        stack.send(control, "Neither");
        receipt(Receipt.seen(seer, seen, Instant.now(), "ws://it-gateway/ws"));
        receipt(Receipt.seen(seer, "never-sent-to-" + seer.substring(5), Instant.now(), "ws://it-gateway/ws"));
        stack.awaitInbox(reader, 1);
        assertThat(Http.post(stack.storeUrl() + "/v1/me/notifications/" + read + "/read", stack.tokenFor(reader), Map.of())
                .status()).isIn(200, 202);
        stack.awaitInbox(stater, 1);
        assertThat(Http.post(stack.storeUrl() + "/v1/me/notifications/seen-all", stack.tokenFor(stater), Map.of())
                .status()).as("the seen item state").isIn(200, 202);

        await().atMost(Duration.ofSeconds(20)).until(() -> kinds(control), kinds -> kinds.size() == 2);

        assertThat(tracker.webhook().requestsFor(seer)).isEmpty();
        assertThat(tracker.webhook().requestsFor(reader)).isEmpty();
        assertThat(tracker.webhook().requestsFor(stater)).isEmpty();
        assertThat(tracker.rows("SELECT * FROM receipt_watches WHERE user_id IN (?, ?, ?)", seer, reader, stater)).isEmpty();
    }

    @Test
    void aFailingWebhookIsRetriedWithBackoffThenDeadLettered() {
        String user = HeraldStack.newUser("dead");
        tracker.webhook().failFor(user, Integer.MAX_VALUE);
        String eventId = stack.send(user, "Nobody home");
        // Delivered, so the one alert is unseen.
        receipt(Receipt.delivered(user, eventId, Instant.now(), "ws://it-gateway/ws", 1));

        List<Map<String, Object>> dead = await().atMost(Duration.ofSeconds(30))
                .until(() -> tracker.rows("SELECT * FROM receipt_alert_deliveries WHERE user_id = ? AND dead_at_ms IS NOT NULL", user),
                        rows -> !rows.isEmpty());

        List<WebhookReceiver.Request> attempts = tracker.webhook().requestsFor(user);
        assertThat(attempts).hasSize(ReceiptTracker.MAX_ATTEMPTS);
        assertThat(attempts).extracting(WebhookReceiver.Request::attempt).containsExactly(1, 2, 3);
        assertThat(attempts).extracting(WebhookReceiver.Request::deliveryId).containsOnly(attempts.get(0).deliveryId());
        assertThat(attempts).allMatch(WebhookReceiver.Request::signatureValid);
        long firstGap = attempts.get(1).receivedAtMillis() - attempts.get(0).receivedAtMillis();
        long secondGap = attempts.get(2).receivedAtMillis() - attempts.get(1).receivedAtMillis();
        assertThat(firstGap).as("back-off 400 ms").isBetween(350L, 2_000L);
        assertThat(secondGap).as("back-off 800 ms").isBetween(750L, 2_500L);
        assertThat(dead.get(0)).containsEntry("attempts", ReceiptTracker.MAX_ATTEMPTS).containsEntry("next_attempt_ms", null)
                .containsEntry("delivery_id", attempts.get(0).deliveryId());
        assertThat((String) dead.get(0).get("last_error")).isEqualTo("HTTP 500");
        assertThat(counter("unseen", "dead_lettered")).isGreaterThanOrEqualTo(1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> tracker.webhook().requestsFor(user).size() == ReceiptTracker.MAX_ATTEMPTS);
    }

    @Test
    void aRecoveringWebhookGetsEachDeliveryOnceItAnswers2xx() {
        String user = HeraldStack.newUser("recovering");
        tracker.webhook().failFor(user, 2);
        stack.send(user, "Third time lucky");

        await().atMost(Duration.ofSeconds(20)).until(() -> tracker.webhook().requestsFor(user).stream()
                .filter(r -> r.answered() == 200).count() == 2); // not_delivered and unseen
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);

        List<WebhookReceiver.Request> requests = tracker.webhook().requestsFor(user);
        assertThat(requests).extracting(WebhookReceiver.Request::answered).containsExactly(500, 500, 200, 200);
        assertThat(requests.get(0).deliveryId()).isEqualTo(requests.get(2).deliveryId());
        assertThat(requests.get(2).attempt()).isEqualTo(3);
        assertThat(requests.stream().filter(r -> r.answered() == 200).map(WebhookReceiver.Request::deliveryId).distinct())
                .as("one 2xx per delivery id").hasSize(2);
        assertThat(tracker.rows("SELECT * FROM receipt_alert_deliveries WHERE user_id = ?", user)).isEmpty();
        assertThat(counter("not_delivered", "delivered")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void pendingWatchesSurviveAStoreRestart() {
        String user = HeraldStack.newUser("restart");
        tracker.restart(() -> {
            stack.send(user, "While the tracker was away");
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> kinds(user), kinds -> kinds.size() == 2);

        String other = HeraldStack.newUser("restart-pending");
        stack.send(other, "Watched before the restart");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !tracker.rows("SELECT * FROM receipt_watches WHERE user_id = ?", other).isEmpty());
        tracker.restart(() -> assertThat(tracker.webhook().requestsFor(other)).isEmpty());

        await().atMost(Duration.ofSeconds(20)).until(() -> kinds(other), kinds -> kinds.size() == 2);
        assertThat(kinds(other)).containsExactly("not_delivered", "unseen");
    }

    @Test
    void badSettingsAreRefusedAtStartUpNamingTheSetting() {
        TestDatabase.Settings db = TestDatabase.separate("receipts_bad");
        Map<String, Object> badUrl = ReceiptTracker.settings("not a url", db);
        Map<String, Object> noSecret = ReceiptTracker.settings("https://shop.example/herald", db);
        noSecret.put("herald.store.receipts.webhook.secret", "");

        assertThatThrownBy(() -> ReceiptTracker.start(badUrl)).rootCause()
                .hasMessageContaining("herald.store.receipts.webhook.url is not a URL");
        assertThatThrownBy(() -> ReceiptTracker.start(noSecret)).rootCause()
                .hasMessageContaining("herald.store.receipts.webhook.secret is required with webhook.url");
    }

    @Test
    void metersAreThereFromTheStart() {
        MeterRegistry meters = tracker.store().getBean(MeterRegistry.class);

        assertThat(meters.find("herald.store.receipts.alerts").counters()).hasSize(8);
        assertThat(meters.find("herald.store.receipts.webhook.attempts").counters()).hasSize(2);
        assertThat(meters.find("herald.store.receipts.watches.pending").gauge()).isNotNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> meters.find("herald.consumer.lag")
                .tag("group", Topics.STORE_RECEIPTS_GROUP).tag("topic", Topics.RECEIPTS).gauges().size() == 12);
    }

    private static List<String> kinds(String user) {
        return tracker.webhook().requestsFor(user).stream().filter(r -> r.answered() == 200)
                .map(r -> r.alert().get("kind").asString()).toList();
    }

    private static double counter(String kind, String outcome) {
        return tracker.store().getBean(MeterRegistry.class).get("herald.store.receipts.alerts").tag("kind", kind)
                .tag("outcome", outcome).counter().count();
    }

    private static void receipt(Receipt receipt) {
        Kafka.produce(TestKafka.bootstrapServers(), Topics.RECEIPTS, List.of(Map.entry(receipt.userId(), ReceiptCodec.encode(receipt))));
    }
}
