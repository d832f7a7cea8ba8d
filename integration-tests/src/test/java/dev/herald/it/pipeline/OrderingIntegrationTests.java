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
import dev.herald.it.support.Kafka;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.Topics;

/** A user's events reach the inbox in the order they were accepted (invariant 2). */
class OrderingIntegrationTests {

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void twoHundredEventsForOneUserAreListedInOrder() {
        String user = HeraldStack.newUser("eve");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            items.add(Map.of("userId", user, "type", "feed.item", "title", "Item " + i));
        }
        Http.Response accepted = Http.post(stack.producerUrl() + "/v1/notifications/batch", HeraldStack.API_KEY,
                Map.of("notifications", items));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        List<Cursor> cursors = accepted.json().get("notifications").valueStream()
                .map(n -> Cursor.parse(n.get("cursor").asString())).toList();
        assertThat(cursors).isSorted().doesNotHaveDuplicates();

        JsonNode page = stack.awaitInbox(user, 200);

        List<String> titles = new ArrayList<>(page.get("items").valueStream().map(n -> n.get("title").asString()).toList());
        Collections.reverse(titles);
        assertThat(titles).containsExactlyElementsOf(items.stream().map(m -> (String) m.get("title")).toList());
    }

    @Test
    void aReadStateChangeAppliesOnlyToWhatCameBeforeIt() {
        String user = HeraldStack.newUser("fay");
        Instant now = Instant.now();
        List<Cursor> positions = Kafka.produce(TestKafka.bootstrapServers(), Topics.USER_EVENTS, List.of(
                record(Envelope.notification("n1-" + user, user, "chat.message", "First", "", null, now, now, "it")),
                record(Envelope.notification("n2-" + user, user, "chat.message", "Second", "", null, now, now, "it")),
                record(Envelope.read("r-" + user, user, List.of("n2-" + user), now, "it")),
                record(Envelope.readAll("ra-" + user, user, now, "it")),
                record(Envelope.notification("n3-" + user, user, "chat.message", "Third", "", null, now, now, "it"))));

        JsonNode page = stack.awaitApplied(user, positions.get(4));

        assertThat(page.get("items")).extracting(n -> n.get("eventId").asString() + ":" + n.get("read").asBoolean())
                .containsExactly("n3-" + user + ":false", "n2-" + user + ":true", "n1-" + user + ":true");
        assertThat(stack.unread(user)).isEqualTo(1);
    }

    private static Map.Entry<String, byte[]> record(Envelope event) {
        return Map.entry(event.userId(), EnvelopeCodec.encode(event));
    }
}
