package dev.herald.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.schema.Cursor;

/** POST → Kafka → inbox, read through the inbox API the way a user and a service see it. */
class PipelineIntegrationTests {

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void postedNotificationAppearsInTheInboxWithItsFieldsAndCursor() {
        String user = HeraldStack.newUser("alice");
        Http.Response accepted = Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY, Map.of(
                "userId", user, "type", "order.shipped", "title", "Your order shipped",
                "body", "Order 42 is on its way", "data", Map.of("orderId", 42)));

        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        JsonNode event = accepted.json().get("notifications").get(0);
        assertThat(event.get("userId").asString()).isEqualTo(user);
        String eventId = event.get("eventId").asString();
        Cursor cursor = Cursor.parse(event.get("cursor").asString());

        JsonNode item = awaitInbox(user, 1).get("items").get(0);
        assertThat(item.get("eventId").asString()).isEqualTo(eventId);
        assertThat(item.get("cursor").asString()).isEqualTo(cursor.toString());
        assertThat(item.get("type").asString()).isEqualTo("order.shipped");
        assertThat(item.get("title").asString()).isEqualTo("Your order shipped");
        assertThat(item.get("body").asString()).isEqualTo("Order 42 is on its way");
        assertThat(item.get("data").get("orderId").asInt()).isEqualTo(42);
        assertThat(item.get("source").asString()).isEqualTo("it");
        assertThat(item.get("read").asBoolean()).isFalse();
        assertThat(Instant.parse(item.get("acceptedAt").asString())).isBefore(Instant.now().plusSeconds(1));

        JsonNode page = inbox(user, "");
        assertThat(Cursor.parse(page.get("cursor").asString()).offset()).isGreaterThanOrEqualTo(cursor.offset());
        assertThat(unread(user)).isEqualTo(1);
        JsonNode count = Http.get(stack.storeUrl() + "/v1/me/notifications/unread-count", stack.tokenFor(user)).json();
        assertThat(Cursor.parse(count.get("cursor").asString()).offset()).as("the position the count is exact at")
                .isGreaterThanOrEqualTo(cursor.offset());
        // A service sees the same inbox through /v1/users/{userId}.
        JsonNode asService = Http.get(stack.storeUrl() + "/v1/users/" + user + "/notifications", HeraldStack.API_KEY).json();
        assertThat(asService.get("items").get(0).get("eventId").asString()).isEqualTo(eventId);
    }

    @Test
    void oneNotificationForSeveralRecipientsMakesOneEventEach() {
        List<String> users = List.of(HeraldStack.newUser("r"), HeraldStack.newUser("r"), HeraldStack.newUser("r"));
        Http.Response accepted = Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY,
                Map.of("recipients", users, "type", "system.alert", "title", "Maintenance at noon"));

        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        assertThat(accepted.json().get("notifications")).hasSize(3);
        for (String user : users) {
            assertThat(awaitInbox(user, 1).get("items").get(0).get("title").asString()).isEqualTo("Maintenance at noon");
        }
    }

    @Test
    void markReadAndReadAllUpdateTheInboxBeforeAnswering() {
        String user = HeraldStack.newUser("bob");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(send(user, "Message " + i));
        }
        awaitInbox(user, 3);
        String token = stack.tokenFor(user);

        Http.Response read = Http.post(stack.storeUrl() + "/v1/me/notifications/" + ids.get(0) + "/read", token, null);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json().get("unread").asInt()).isEqualTo(2);
        // Read-your-writes: the very next read shows it, no waiting.
        assertThat(unread(user)).isEqualTo(2);
        assertThat(inbox(user, "?status=read").get("items")).extracting(n -> n.get("eventId").asString()).containsExactly(ids.get(0));
        assertThat(inbox(user, "?status=unread").get("items")).hasSize(2);

        Http.Response readAll = Http.post(stack.storeUrl() + "/v1/me/notifications/read-all", token, null);
        assertThat(readAll.status()).as(readAll.toString()).isEqualTo(200);
        assertThat(unread(user)).isZero();
        assertThat(inbox(user, "?status=unread").get("items")).isEmpty();
        assertThat(inbox(user, "?status=read").get("items")).hasSize(3);
    }

    @Test
    void pagesWalkBackByCursorAndForwardFromACursor() {
        String user = HeraldStack.newUser("carol");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(send(user, "Item " + i));
        }
        awaitInbox(user, 7);

        List<String> seen = new ArrayList<>();
        String before = null;
        int pages = 0;
        do {
            JsonNode page = inbox(user, "?limit=3" + (before == null ? "" : "&before=" + before));
            page.get("items").forEach(item -> seen.add(item.get("eventId").asString()));
            before = page.get("next").isNull() ? null : page.get("next").asString();
            pages++;
        }
        while (before != null);

        assertThat(pages).isEqualTo(3);
        List<String> newestFirst = new ArrayList<>(ids);
        Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);

        String third = inbox(user, "?limit=7").get("items").get(4).get("cursor").asString();
        JsonNode after = inbox(user, "?after=" + third);
        assertThat(after.get("items")).extracting(n -> n.get("eventId").asString()).containsExactlyElementsOf(ids.subList(3, 7));
    }

    private String send(String user, String title) {
        return stack.send(user, title);
    }

    private JsonNode inbox(String user, String query) {
        return stack.inbox(user, query);
    }

    private JsonNode awaitInbox(String user, int size) {
        return stack.awaitInbox(user, size);
    }

    private int unread(String user) {
        return stack.unread(user);
    }
}
