package dev.herald.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.Kafka;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.Topics;

/** Retries never show a notification twice (invariant 4). */
class IdempotencyIntegrationTests {

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void sameRequestWithSameIdempotencyKeyKeepsOneRowPerRecipientAndTheSameIds() {
        String ann = HeraldStack.newUser("ann");
        String ben = HeraldStack.newUser("ben");
        Map<String, Object> body = Map.of("recipients", List.of(ann, ben), "type", "order.paid", "title", "Paid");

        Http.Response first = Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY, body,
                "Idempotency-Key", "order-77-paid");
        Http.Response retry = Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY, body,
                "Idempotency-Key", "order-77-paid");

        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(retry.status()).as(retry.toString()).isEqualTo(202);
        assertThat(ids(retry)).isEqualTo(ids(first)).doesNotHaveDuplicates().hasSize(2);
        for (int i = 0; i < 2; i++) {
            String user = first.json().get("notifications").get(i).get("userId").asString();
            Cursor retryPosition = Cursor.parse(retry.json().get("notifications").get(i).get("cursor").asString());
            JsonNode page = stack.awaitApplied(user, retryPosition);
            assertThat(page.get("items")).hasSize(1);
            assertThat(page.get("items").get(0).get("eventId").asString()).isEqualTo(ids(first).get(i));
            assertThat(stack.unread(user)).isEqualTo(1);
        }
    }

    @Test
    void aDifferentIdempotencyKeyIsADifferentNotification() {
        String user = HeraldStack.newUser("cat");
        Map<String, Object> body = Map.of("userId", user, "type", "order.paid", "title", "Paid");
        Http.Response a = Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY, body, "Idempotency-Key", "k-1");
        Http.Response b = Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY, body, "Idempotency-Key", "k-2");

        assertThat(ids(a)).isNotEqualTo(ids(b));
        stack.awaitInbox(user, 2);
    }

    @Test
    void aRecordProducedTwiceToKafkaIsStoredOnce() {
        String user = HeraldStack.newUser("dan");
        Instant now = Instant.now();
        byte[] event = EnvelopeCodec.encode(
                Envelope.notification("dup-" + user, user, "chat.message", "Hello", "", null, now, now, "it"));

        List<Cursor> positions = Kafka.produce(TestKafka.bootstrapServers(), Topics.USER_EVENTS,
                List.of(Map.entry(user, event), Map.entry(user, event)));

        assertThat(positions.get(1).isAfter(positions.get(0))).isTrue();
        JsonNode page = stack.awaitApplied(user, positions.get(1));
        assertThat(page.get("items")).hasSize(1);
        assertThat(stack.unread(user)).isEqualTo(1);
    }

    @Test
    void theSameEventIdForTwoUsersIsANotificationForEach() {
        String eve = HeraldStack.newUser("eve");
        String fay = HeraldStack.newUser("fay");
        String eventId = "order-42-" + UUID.randomUUID();

        Http.Response toEve = sendWithEventId(HeraldStack.API_KEY, eve, eventId);
        Http.Response toFay = sendWithEventId(HeraldStack.API_KEY, fay, eventId);

        for (var sent : List.of(Map.entry(eve, toEve), Map.entry(fay, toFay))) {
            String user = sent.getKey();
            JsonNode page = stack.awaitApplied(user, cursor(sent.getValue()));
            assertThat(page.get("items")).as(user).extracting(n -> n.get("eventId").asString()).containsExactly(eventId);
            Http.Response read = markRead(user, eventId);
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.json().get("unread").asInt()).isZero();
            assertThat(stack.inbox(user, "?status=read").get("items")).as(user).hasSize(1);
        }
    }

    @Test
    void theSameEventIdFromTheSameSourceTwiceIsStoredOnce() {
        String user = HeraldStack.newUser("gil");
        String eventId = "order-43-" + UUID.randomUUID();

        sendWithEventId(HeraldStack.API_KEY, user, eventId);
        Http.Response again = sendWithEventId(HeraldStack.API_KEY, user, eventId);

        JsonNode page = stack.awaitApplied(user, cursor(again));
        assertThat(page.get("items")).extracting(n -> n.get("eventId").asString()).containsExactly(eventId);
        assertThat(stack.unread(user)).isEqualTo(1);
    }

    @Test
    void theSameEventIdFromTwoSourcesIsTwoNotifications() {
        String user = HeraldStack.newUser("hal");
        String eventId = "order-44-" + UUID.randomUUID();

        sendWithEventId(HeraldStack.API_KEY, user, eventId);
        Http.Response fromTheOtherKey = sendWithEventId(HeraldStack.SEND_ONLY_API_KEY, user, eventId);

        JsonNode page = stack.awaitApplied(user, cursor(fromTheOtherKey));
        assertThat(page.get("items")).extracting(n -> n.get("eventId").asString() + " from " + n.get("source").asString())
                .containsExactly(eventId + " from it-sender", eventId + " from it");
        assertThat(stack.unread(user)).isEqualTo(2);

        Http.Response read = markRead(user, eventId);
        assertThat(read.status()).as("marks both: " + read).isEqualTo(200);
        assertThat(read.json().get("unread").asInt()).isZero();
    }

    @Test
    void sourcesThatDifferOnlyInCaseAreTwoSources() {
        String user = HeraldStack.newUser("ida");
        Instant now = Instant.now();
        List<Cursor> positions = Kafka.produce(TestKafka.bootstrapServers(), Topics.USER_EVENTS, List.of(
                Map.entry(user, EnvelopeCodec.encode(Envelope.notification("same", user, "chat.message", "a", "", null, now, now, "shop"))),
                Map.entry(user, EnvelopeCodec.encode(Envelope.notification("same", user, "chat.message", "b", "", null, now, now, "Shop")))));

        JsonNode page = stack.awaitApplied(user, positions.get(1));
        assertThat(page.get("items")).extracting(n -> n.get("source").asString()).containsExactly("Shop", "shop");
    }

    private Http.Response sendWithEventId(String apiKey, String user, String eventId) {
        Http.Response response = Http.post(stack.producerUrl() + "/v1/notifications", apiKey,
                Map.of("userId", user, "eventId", eventId, "type", "order.shipped", "title", "Shipped"));
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(ids(response)).containsExactly(eventId);
        return response;
    }

    private Http.Response markRead(String user, String eventId) {
        return Http.post(stack.storeUrl() + "/v1/me/notifications/" + eventId + "/read", stack.tokenFor(user), null);
    }

    private static Cursor cursor(Http.Response accepted) {
        return Cursor.parse(accepted.json().get("notifications").get(0).get("cursor").asString());
    }

    private static List<String> ids(Http.Response response) {
        return response.json().get("notifications").valueStream().map(n -> n.get("eventId").asString()).toList();
    }
}
