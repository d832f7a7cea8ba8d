package dev.herald.it.pipeline;

import static dev.herald.it.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.gateway.WsClient;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.Scrape;
import dev.herald.schema.Cursor;
import dev.herald.schema.frames.ClientFrame;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;

/**
 * {@code POST /v1/channels/{channel}/messages} end to end: 202 only once Kafka has the one record,
 * which every subscriber gets live and the store keeps once, a retry with the same key included.
 */
class ChannelPublishIntegrationTests {

    private final HeraldStack stack = HeraldStack.get();

    private Http.Response publish(String channel, Map<String, Object> body, String... headers) {
        return Http.post(stack.producerUrl() + "/v1/channels/" + channel + "/messages", HeraldStack.API_KEY, body, headers);
    }

    @Test
    void aPublishedMessageReachesTheSubscriberLiveAndTheStoreOnceThoughItWasRetried() {
        Gateways.shared();
        String channel = "system:" + UUID.randomUUID().toString().substring(0, 8);
        String user = HeraldStack.newUser("sub");
        String token = stack.tokenFor(user, List.of("system:*"));
        WsClient client = WsClient.open(Gateways.ownerOf(user).wsUrl(), token, null);
        client.awaitFrame(ServerFrame.Welcome.class);
        client.send(Frames.encode(new ClientFrame.Subscribe(channel, null)));
        client.awaitFrame(ServerFrame.Subscribed.class);
        Map<String, Object> body = Map.of("type", "system.maintenance", "title", "Maintenance at noon", "body", "5 minutes",
                "data", Map.of("window", "12:00-12:05"));

        Http.Response accepted = publish(channel, body, "Idempotency-Key", "maintenance-1");
        Http.Response retried = publish(channel, body, "Idempotency-Key", "maintenance-1");

        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        JsonNode json = accepted.json();
        assertThat(json.get("channel").asString()).isEqualTo(channel);
        assertThat(retried.json().get("eventId").asString()).as("same key, same id").isEqualTo(json.get("eventId").asString());
        Cursor cursor = Cursor.parse(json.get("cursor").asString());
        assertThat(cursor.epoch()).isNotNull();
        List<ServerFrame.Message> live = client.awaitMessages(channel, 1);
        assertThat(live.get(0).event().eventId()).isEqualTo(json.get("eventId").asString());
        assertThat(live.get(0).event().data().get("window").asString()).isEqualTo("12:00-12:05");
        assertThat(live.get(0).cursor()).isEqualTo(cursor);
        JsonNode history = await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(
                stack.storeUrl() + "/v1/channels/" + channel + "/messages", token).json(), page -> page.get("items").size() >= 1);
        assertThat(history.get("items")).hasSize(1);
        assertThat(history.get("items").get(0).get("title").asString()).isEqualTo("Maintenance at noon");
        assertThat(Scrape.of(stack.producerUrl()).sum("herald_producer_channel_messages_published_total", "family=\"system\""))
                .isGreaterThanOrEqualTo(2);
        client.close();
    }

    @Test
    void badMessagesAreRefusedNamingTheField() {
        assertProblem(publish("Not%20A%20Channel", Map.of("type", "x", "title", "t")), 400, "channel");
        assertProblem(publish("system", Map.of("type", "x")), 400, "title");
        assertProblem(publish("system", Map.of("type", "x", "title", "t", "userId", "alice")), 400, "userId");
        assertProblem(publish("system", Map.of("type", "x", "title", "t", "body", "b".repeat(5_000))), 400, "body");
        assertThat(Http.post(stack.producerUrl() + "/v1/channels/system/messages", null, Map.of("type", "x", "title", "t"))
                .status()).isEqualTo(401);
    }
}
