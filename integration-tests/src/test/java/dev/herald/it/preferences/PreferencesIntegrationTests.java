package dev.herald.it.preferences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.gateway.TestGateway;
import dev.herald.it.gateway.WsClient;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.Kafka;
import dev.herald.it.support.Problems;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.Cursor;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.EventKind;
import dev.herald.schema.PreferenceSnapshot;
import dev.herald.schema.Topics;
import dev.herald.schema.UserPartitioner;
import dev.herald.schema.frames.ServerFrame;

/**
 * Preferences end to end (issue 17): a set is an event on the user's partition, applied by the store
 * in order with the user's notifications (real Kafka, the real database) and honoured by the
 * gateways for live delivery and resume, also by a gateway that takes the partition later.
 */
class PreferencesIntegrationTests {

    private static final Map<String, Object> MUTE_MARKETING = Map.of("rules", List.of(
            Map.of("type", "marketing.*", "mute", true)));

    private final HeraldStack stack = HeraldStack.get();

    @BeforeAll
    static void gateways() {
        Gateways.shared();
    }

    @Test
    void aSetPutIsReadBackAndIsAnEventOnTheUsersPartition() {
        String user = HeraldStack.newUser("prefs");
        JsonNode none = get(user);
        assertThat(none.get("rules").isEmpty()).isTrue();
        assertThat(none.get("cursor").isNull()).isTrue();

        Map<String, Object> set = Map.of("rules", List.of(Map.of("type", "*", "mute", true),
                Map.of("type", "order.*", "mute", false), Map.of("type", "order.refund", "mute", true)));
        Http.Response put = Http.put(stack.storeUrl() + "/v1/me/preferences", stack.tokenFor(user), set);

        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.json().get("applied").asBoolean()).isTrue();
        Cursor at = Cursor.parse(put.json().get("cursor").asString());
        assertThat(at.partition()).isEqualTo(UserPartitioner.partitionOf(user, Gateways.PARTITIONS));
        JsonNode read = get(user);
        assertThat(read.get("rules")).as("the same rules, in the same order")
                .isEqualTo(Http.JSON.valueToTree(set.get("rules")));
        assertThat(read.get("cursor").asString()).isEqualTo(at.toString());
        assertThat(read.get("updatedAt").asString()).isNotBlank();

        // A service replaces it for the user with its API key; the user reads that.
        Http.Response byService = Http.put(stack.storeUrl() + "/v1/users/" + user + "/preferences", HeraldStack.API_KEY,
                Map.of("rules", List.of()));
        assertThat(byService.status()).as(byService.toString()).isEqualTo(200);
        assertThat(get(user).get("rules").isEmpty()).isTrue();
        assertThat(Http.get(stack.storeUrl() + "/v1/users/" + user + "/preferences", HeraldStack.API_KEY).json()
                .get("cursor").asString()).isEqualTo(byService.json().get("cursor").asString());

        // The store published each applied set to herald.preferences, in the user's partition.
        await().atMost(Duration.ofSeconds(20)).until(() -> snapshots(user).size() == 2);
        List<ConsumerRecord<String, byte[]>> published = snapshots(user);
        assertThat(published).allSatisfy(r -> assertThat(r.partition()).isEqualTo(at.partition()));
        assertThat(PreferenceSnapshot.decode(published.get(0).value()).offset()).isEqualTo(at.offset());
        assertThat(PreferenceSnapshot.decode(published.get(1).value()).preferences().isEmpty()).isTrue();
    }

    @Test
    void aMutedTypeIsStoredMutedUncountedHiddenAndNotDeliveredWhileOthersAndCriticalOnesAre() {
        String user = HeraldStack.newUser("muted");
        WsClient tab = WsClient.open(Gateways.ownerOf(user).wsUrl(), stack.tokenFor(user), null);
        tab.awaitFrame(ServerFrame.Welcome.class);

        String before = send(user, "marketing.promo", "Before the mute", false);
        put(user, MUTE_MARKETING);
        String muted = send(user, "marketing.promo", "Muted", false);
        String other = send(user, "order.shipped", "Not muted", false);
        String critical = send(user, "marketing.promo", "Critical", true);
        String last = send(user, "order.shipped", "Last", false);

        // Every frame of the user arrives in order, so the muted one would have come before the last.
        List<ServerFrame.Notification> live = tab.awaitNotifications(4);
        assertThat(live).extracting(n -> n.event().eventId()).containsExactly(before, other, critical, last);
        awaitCursorPast(user, last);
        assertThat(ids(stack.inbox(user, ""))).containsExactly(last, critical, other, before);
        assertThat(ids(stack.inbox(user, "?muted=only"))).containsExactly(muted);
        assertThat(ids(stack.inbox(user, "?muted=include"))).containsExactly(last, critical, other, muted, before);
        assertThat(ids(stack.inbox(user, "?status=unread"))).doesNotContain(muted);
        assertThat(stack.unread(user)).isEqualTo(4);

        // Unmuting applies to what comes after it; the muted one stays as it arrived.
        put(user, Map.of("rules", List.of()));
        String afterUnmute = send(user, "marketing.promo", "After the unmute", false);
        assertThat(tab.awaitNotifications(5).get(4).event().eventId()).isEqualTo(afterUnmute);
        awaitCursorPast(user, afterUnmute);
        assertThat(stack.unread(user)).isEqualTo(5);
        assertThat(ids(stack.inbox(user, ""))).doesNotContain(muted).contains(afterUnmute);
        // Marking the muted one read does not take a count it never added.
        Http.Response read = Http.post(stack.storeUrl() + "/v1/me/notifications/" + muted + "/read", stack.tokenFor(user), null);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json().get("unread").asInt()).isEqualTo(5);
        tab.close();

        // A resume replays the user's history without the muted one: no gap, no duplicate.
        Cursor first = Cursor.parse(live.get(0).cursor().toString());
        WsClient resumed = WsClient.open(Gateways.ownerOf(user).wsUrl(), stack.tokenFor(user), first.toString());
        resumed.awaitFrame(ServerFrame.Welcome.class);
        assertThat(resumed.awaitNotifications(4)).extracting(n -> n.event().eventId())
                .containsExactly(other, critical, last, afterUnmute);
        resumed.close();

        String scrape = Http.get(Gateways.ownerOf(user).baseUrl() + "/actuator/prometheus", null).raw().body();
        assertThat(scrape).containsPattern("herald_gateway_notifications_suppressed_total(\\{[^}]*})? [1-9]");
    }

    /**
     * A gateway that takes a partition after the mute reads it from herald.preferences: with a
     * history of one record, its warm-up does not reach back to the preferences event itself.
     */
    @Test
    void aGatewayThatTakesThePartitionAfterTheMuteHonoursIt() {
        Map<Integer, String> users = new LinkedHashMap<>();
        for (int partition = 0; partition < Gateways.PARTITIONS; partition++) {
            String user = Gateways.userOnPartition("late", partition);
            users.put(partition, user);
            put(user, MUTE_MARKETING);
        }
        // Later records on every partition, so the preferences events fall out of a one-record warm-up.
        List<String> fillers = new ArrayList<>();
        users.values().forEach(user -> fillers.add(send(user, "order.shipped", "Filler", false)));
        users.values().forEach(user -> await().atMost(Duration.ofSeconds(20))
                .until(() -> snapshots(user).size() == 1));

        TestGateway third = Gateways.startExtra(Map.of("herald.gateway.history-size", "1"));
        try {
            Gateways.awaitStable();
            assertThat(third.ownedPartitions()).isNotEmpty();
            int partition = third.ownedPartitions().iterator().next();
            String user = users.get(partition);
            WsClient tab = WsClient.open(third.wsUrl(), stack.tokenFor(user), null);
            tab.awaitFrame(ServerFrame.Welcome.class);

            send(user, "marketing.promo", "Muted", false);
            String allowed = send(user, "order.shipped", "Allowed", false);

            assertThat(tab.awaitNotifications(1)).extracting(n -> n.event().eventId()).containsExactly(allowed);
            String sentinel = send(user, "order.shipped", "Sentinel", false);
            assertThat(tab.awaitNotifications(2)).extracting(n -> n.event().eventId()).containsExactly(allowed, sentinel);
            tab.close();
        }
        finally {
            third.stop();
            Gateways.awaitStable();
        }
    }

    @Test
    void badSetsAreRefusedNamingTheFieldAndNothingIsPublished() {
        String user = HeraldStack.newUser("bad");
        String url = stack.storeUrl() + "/v1/me/preferences";
        String token = stack.tokenFor(user);
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i <= 50; i++) {
            many.add(Map.of("type", "type" + i, "mute", true));
        }

        Problems.assertProblem(Http.put(url, token, Map.of("rules", many)), 400, "rules");
        Problems.assertProblem(Http.put(url, token, Map.of("rules", List.of(Map.of("type", "a", "mute", true),
                Map.of("type", "b", "mute", true), Map.of("type", "c", "mute", true),
                Map.of("type", "Marketing!", "mute", true)))), 400, "rules[3].type");
        Problems.assertProblem(Http.put(url, token, Map.of("rules", List.of(Map.of("type", "a.*", "mute", "yes"),
                Map.of("type", 7, "mute", true)))), 400, "rules[0].mute", "rules[1].type");
        Problems.assertProblem(Http.put(url, token, Map.of("rules", "everything")), 400, "rules");
        Problems.assertProblem(Http.put(url, token, Map.of("rules", List.of(), "until", "tomorrow")), 400, "until");
        Problems.assertProblem(Http.put(url, token, "[]"), 400, "$");
        Problems.assertProblem(Http.put(url, token, "{not json"), 400, "$");
        Problems.assertProblem(Http.put(stack.storeUrl() + "/v1/users/%20x/preferences", HeraldStack.API_KEY,
                MUTE_MARKETING), 400, "userId");
        Problems.assertProblem(Http.put(url, null, MUTE_MARKETING), 401);

        // Then a good one: the bad ones before it published nothing, to either topic.
        put(user, MUTE_MARKETING);
        List<ConsumerRecord<String, byte[]>> events = Kafka.readToEnd(TestKafka.bootstrapServers(), Topics.USER_EVENTS)
                .stream().filter(r -> user.equals(r.key())).toList();
        assertThat(events).hasSize(1);
        assertThat(EnvelopeCodec.decode(events.get(0).value()).kind()).isEqualTo(EventKind.PREFERENCES);
        await().atMost(Duration.ofSeconds(20)).until(() -> snapshots(user).size() == 1);
    }

    @Test
    void producerApiRefusesACriticalThatIsNotABoolean() {
        String user = HeraldStack.newUser("critical");
        Problems.assertProblem(Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY,
                Map.of("userId", user, "type", "a.b", "title", "T", "critical", "yes")), 400, "critical");
        Problems.assertProblem(Http.post(stack.producerUrl() + "/v1/notifications/batch", HeraldStack.API_KEY,
                Map.of("notifications", List.of(Map.of("userId", user, "type", "a.b", "title", "T", "critical", true),
                        Map.of("userId", user, "type", "a.b", "title", "T", "critical", 1)))), 400, "notifications[1].critical");
        Http.Response batch = Http.post(stack.producerUrl() + "/v1/notifications/batch", HeraldStack.API_KEY,
                Map.of("notifications", List.of(Map.of("userId", user, "type", "a.b", "title", "T", "critical", true))));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(202);
    }

    private JsonNode get(String user) {
        Http.Response response = Http.get(stack.storeUrl() + "/v1/me/preferences", stack.tokenFor(user));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private void put(String user, Map<String, Object> set) {
        Http.Response response = Http.put(stack.storeUrl() + "/v1/me/preferences", stack.tokenFor(user), set);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    private String send(String user, String type, String title, boolean critical) {
        Http.Response response = Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY,
                Map.of("userId", user, "type", type, "title", title, "critical", critical));
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return response.json().get("notifications").get(0).get("eventId").asString();
    }

    private void awaitCursorPast(String user, String eventId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> ids(stack.inbox(user, "?muted=include")).contains(eventId));
    }

    private static List<String> ids(JsonNode page) {
        return page.get("items").valueStream().map(item -> item.get("eventId").asString()).toList();
    }

    private static List<ConsumerRecord<String, byte[]>> snapshots(String user) {
        return Kafka.readToEnd(TestKafka.bootstrapServers(), Topics.PREFERENCES).stream()
                .filter(r -> user.equals(r.key())).toList();
    }
}
