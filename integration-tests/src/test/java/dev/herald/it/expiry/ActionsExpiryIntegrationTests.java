package dev.herald.it.expiry;

import static dev.herald.it.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.gateway.WsClient;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.schema.NotificationAction;
import dev.herald.schema.frames.ServerFrame;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Notification actions and expiry through the real pipeline (producer-api, Kafka, the store on the
 * real database, a gateway): buttons reach the inbox and the socket as sent; bad ones are refused
 * with problem+json naming the field and nothing is published; an expiring notification or
 * inbox-channel message is listed and counted until it expires, then in neither, and the unread
 * count stays exact once the retention job has deleted it.
 */
class ActionsExpiryIntegrationTests {

    private static final String CHANNEL = HeraldStack.INBOX_CHANNEL;

    private static final List<Map<String, Object>> TWO_ACTIONS = List.of(
            Map.of("id", "open", "label", "Open order", "url", "https://shop.example/orders/42"),
            Map.of("id", "archive", "label", "Archive", "action", "archive"));

    private final HeraldStack stack = HeraldStack.get();
    private final JdbcTemplate db = stack.store().getBean(JdbcTemplate.class);

    @BeforeAll
    static void gateways() {
        Gateways.shared();
    }

    /** Every user of every test has the inbox channel's messages: none may outlive the test that sent it. */
    @AfterEach
    void removeTheInboxChannelsMessages() {
        db.update("DELETE FROM channel_messages WHERE channel = ?", CHANNEL);
        db.update("DELETE FROM channel_reads WHERE channel = ?", CHANNEL);
        db.update("DELETE FROM channel_read_marks WHERE channel = ?", CHANNEL);
    }

    @Test
    void actionsAndExpiryReachTheInboxAndTheSocketAsSent() {
        String user = HeraldStack.newUser("actions");
        WsClient tab = WsClient.open(Gateways.ownerOf(user).wsUrl(), stack.tokenFor(user), null);
        tab.awaitFrame(ServerFrame.Welcome.class);
        Instant expiresAt = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);

        String eventId = post(notification(user, "Shipped", Map.of("actions", TWO_ACTIONS, "expiresAt", expiresAt.toString())));

        ServerFrame.Notification frame = tab.awaitNotifications(1).get(0);
        assertThat(frame.event().eventId()).isEqualTo(eventId);
        assertThat(frame.event().actions()).containsExactly(
                NotificationAction.link("open", "Open order", "https://shop.example/orders/42"),
                NotificationAction.named("archive", "Archive", "archive"));
        assertThat(frame.event().expiresAt()).isEqualTo(expiresAt);
        JsonNode item = stack.awaitInbox(user, 1).get("items").get(0);
        assertThat(item.get("actions")).isEqualTo(Http.JSON.valueToTree(TWO_ACTIONS));
        assertThat(item.get("expiresAt").asString()).isEqualTo(expiresAt.toString());
        tab.close();
    }

    @Test
    void aNotificationWithoutThemShowsNullActionsAndNoExpiry() {
        String user = HeraldStack.newUser("plain");
        stack.send(user, "Plain");
        JsonNode item = stack.awaitInbox(user, 1).get("items").get(0);
        assertThat(item.get("actions").isNull()).isTrue();
        assertThat(item.get("expiresAt").isNull()).isTrue();
    }

    @Test
    void badActionsAndExpiryAreRefusedNamingTheFieldAndNothingIsPublished() {
        String user = HeraldStack.newUser("bad-actions");
        List<Map<String, Object>> three = new ArrayList<>(TWO_ACTIONS);
        three.add(Map.of("id", "third", "label", "Third", "action", "third"));
        Map<String, Map<String, Object>> cases = new HashMap<>();
        cases.put("actions", Map.of("actions", three));
        cases.put("actions[0].action", Map.of("actions", List.of(
                Map.of("id", "both", "label", "Both", "url", "https://x.example", "action", "go"))));
        cases.put("actions[1].label", Map.of("actions", List.of(TWO_ACTIONS.get(0),
                Map.of("id", "long", "label", "x".repeat(41), "action", "go"))));
        cases.put("actions[0].url", Map.of("actions", List.of(Map.of("id", "js", "label", "Run", "url", "javascript:alert(1)"))));
        cases.put("expiresAt", Map.of("expiresAt", Instant.now().minusSeconds(1).toString()));
        for (Map.Entry<String, Map<String, Object>> bad : cases.entrySet()) {
            assertProblem(Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY,
                    notification(user, "Bad", bad.getValue())), 400, bad.getKey());
        }
        assertProblem(Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY,
                notification(user, "Bad", Map.of("expiresAt", "tomorrow"))), 400, "expiresAt");
        assertProblem(Http.post(stack.producerUrl() + "/v1/notifications/batch", HeraldStack.API_KEY, Map.of("notifications",
                List.of(notification(user, "Good", Map.of()), notification(user, "Bad", cases.get("actions[0].url"))))),
                400, "notifications[1].actions[0].url");
        assertProblem(Http.post(stack.producerUrl() + "/v1/channels/" + CHANNEL + "/messages", HeraldStack.API_KEY,
                Map.of("type", "system.maintenance", "title", "Bad", "expiresAt", "2020-01-01T00:00:00Z")), 400, "expiresAt");

        // The user's events share a partition: once a later good one is in, any published bad one would be too.
        String good = post(notification(user, "Good", Map.of()));
        JsonNode page = stack.awaitInbox(user, 1);
        assertThat(page.get("items").get(0).get("eventId").asString()).isEqualTo(good);
        assertThat(db.queryForObject("SELECT COUNT(*) FROM notifications WHERE user_id = ?", Integer.class, user)).isEqualTo(1);
    }

    @Test
    void anExpiringNotificationIsListedAndCountedUntilItExpiresThenInNeitherAndTheCountStaysExact() {
        String user = HeraldStack.newUser("expiring");
        String stays = stack.send(user, "Stays");
        Instant expiresAt = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.MILLIS);
        String goes = post(notification(user, "Goes", Map.of("expiresAt", expiresAt.toString())));
        String goesRead = post(notification(user, "Goes, read", Map.of("expiresAt", expiresAt.toString())));
        stack.awaitInbox(user, 3);
        Http.Response read = Http.post(stack.storeUrl() + "/v1/me/notifications/" + goesRead + "/read", stack.tokenFor(user), null);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        if (Instant.now().isBefore(expiresAt.minusMillis(500))) {
            assertThat(ids(stack.inbox(user, ""))).containsExactly(goesRead, goes, stays);
            assertThat(stack.unread(user)).isEqualTo(2);
        }
        double expiredBefore = expiredCounter();

        await().atMost(Duration.ofSeconds(20)).until(() -> ids(stack.inbox(user, "")).size() == 1);
        assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
        assertThat(ids(stack.inbox(user, ""))).containsExactly(stays);
        assertThat(ids(stack.inbox(user, "?status=read"))).isEmpty();
        assertThat(stack.unread(user)).as("right after expiry, before or after the sweep").isEqualTo(1);

        await().atMost(Duration.ofSeconds(20)).until(() -> db.queryForObject(
                "SELECT COUNT(*) FROM notifications WHERE user_id = ?", Integer.class, user) == 1);
        assertThat(db.queryForObject("SELECT unread FROM unread_counts WHERE user_id = ?", Integer.class, user))
                .as("the sweep took the unread expired one off the stored count").isEqualTo(1);
        assertThat(stack.unread(user)).isEqualTo(1);
        assertThat(expiredCounter()).isGreaterThanOrEqualTo(expiredBefore + 2);

        Http.Response all = Http.post(stack.storeUrl() + "/v1/me/notifications/read-all", stack.tokenFor(user), Map.of());
        assertThat(all.json().get("unread").asInt()).isZero();
    }

    @Test
    void anExpiringInboxChannelMessageLeavesEveryUsersListAndCount() {
        String user = HeraldStack.newUser("channel-expiry");
        stack.send(user, "Own");
        stack.awaitInbox(user, 1);
        Instant expiresAt = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.MILLIS);
        Http.Response published = Http.post(stack.producerUrl() + "/v1/channels/" + CHANNEL + "/messages", HeraldStack.API_KEY,
                Map.of("type", "system.maintenance", "title", "Down soon", "expiresAt", expiresAt.toString(),
                        "actions", List.of(Map.of("id", "status", "label", "Status", "url", "https://status.example"))));
        assertThat(published.status()).as(published.toString()).isEqualTo(202);
        String alert = published.json().get("eventId").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> ids(stack.inbox(user, "")).contains(alert));
        if (Instant.now().isBefore(expiresAt.minusMillis(500))) {
            assertThat(stack.unread(user)).isEqualTo(2);
            JsonNode item = stack.inbox(user, "").get("items").get(0);
            assertThat(item.get("actions").get(0).get("url").asString()).isEqualTo("https://status.example");
            assertThat(item.get("expiresAt").asString()).isEqualTo(expiresAt.toString());
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> !ids(stack.inbox(user, "")).contains(alert));
        assertThat(stack.unread(user)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> db.queryForObject(
                "SELECT COUNT(*) FROM channel_messages WHERE channel = ? AND event_id = ?", Integer.class, CHANNEL, alert) == 0);
        assertThat(stack.unread(user)).isEqualTo(1);
    }

    private double expiredCounter() {
        return stack.store().getBean(MeterRegistry.class).get("herald.store.expired").tag("of", "notifications").counter().count();
    }

    private static Map<String, Object> notification(String user, String title, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("userId", user, "type", "order.shipped", "title", title));
        body.putAll(extra);
        return body;
    }

    private String post(Map<String, Object> body) {
        Http.Response response = Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return response.json().get("notifications").get(0).get("eventId").asString();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("eventId").asString()));
        return ids;
    }
}
