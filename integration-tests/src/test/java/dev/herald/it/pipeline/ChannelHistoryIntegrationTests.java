package dev.herald.it.pipeline;

import static dev.herald.it.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.Kafka;
import dev.herald.it.support.Scrape;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.ChannelMessage;
import dev.herald.schema.ChannelMessageCodec;
import dev.herald.schema.Cursor;
import dev.herald.schema.Topics;
import dev.herald.schema.UserPartitioner;
import dev.herald.support.HeraldKafkaProperties;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * A channel's history in the store, read through {@code GET /v1/channels/{channel}/messages}:
 * stored once from {@code herald.channel-events}, paged by cursor, readable by services with the
 * read scope and by users whose token grants the channel.
 */
class ChannelHistoryIntegrationTests {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void aRecordProducedTwiceIsStoredOnce() {
        String channel = newChannel("system");
        byte[] message = encode(channel, "dup", "it");
        assertThat(Scrape.of(stack.storeUrl()).has("herald_store_channel_messages_persisted_total")).isTrue();
        double persistedBefore = persisted();

        List<Cursor> positions = Kafka.produce(TestKafka.bootstrapServers(), Topics.CHANNEL_EVENTS, List.of(
                Map.entry(channel, message), Map.entry(channel, message), Map.entry(channel, encode(channel, "dup", "other-source"))));

        assertThat(positions.get(1).isAfter(positions.get(0))).isTrue();
        JsonNode page = awaitApplied(channel, positions.get(2));
        assertThat(page.get("items")).extracting(item -> item.get("eventId").asString() + " from " + item.get("source").asString())
                .as("the same eventId from another source is another message")
                .containsExactly("dup from other-source", "dup from it");
        assertThat(page.get("items").get(1).get("cursor").asString()).startsWith(positions.get(0).toString() + "@");
        assertThat(persisted() - persistedBefore).isEqualTo(2);
    }

    @Test
    void pagesGoNewestFirstAndOlderWithBeforeAndOnOldestFirstWithAfter() {
        String channel = newChannel("order");
        List<Cursor> positions = publish(channel, "m1", "m2", "m3", "m4", "m5");
        JsonNode all = awaitApplied(channel, positions.get(4));
        assertThat(ids(all)).containsExactly("m5", "m4", "m3", "m2", "m1");
        assertThat(all.get("next").isNull()).isTrue();
        Cursor upTo = Cursor.parse(all.get("cursor").asString());
        assertThat(upTo.partition()).isEqualTo(positions.get(4).partition());
        assertThat(upTo.offset()).isGreaterThanOrEqualTo(positions.get(4).offset());
        assertThat(upTo.epoch()).as("cursors carry the channel topic's epoch").isNotNull();

        JsonNode item = all.get("items").get(0);
        assertThat(item.get("channel").asString()).isEqualTo(channel);
        assertThat(item.get("cursor").asString()).isEqualTo(positions.get(4).withEpoch(upTo.epoch()).toString());
        assertThat(item.get("type").asString()).isEqualTo("system.alert");
        assertThat(item.get("title").asString()).isEqualTo("Title m5");
        assertThat(item.get("body").asString()).isEqualTo("Body m5");
        assertThat(item.get("data").get("n").asString()).isEqualTo("m5");
        assertThat(item.get("source").asString()).isEqualTo("it");
        assertThat(Instant.parse(item.get("occurredAt").asString())).isEqualTo(NOW);
        assertThat(Instant.parse(item.get("acceptedAt").asString())).isEqualTo(NOW);

        JsonNode newest = read(channel, "?limit=2");
        assertThat(ids(newest)).containsExactly("m5", "m4");
        assertThat(newest.get("next").asString()).isEqualTo(newest.get("items").get(1).get("cursor").asString());
        JsonNode older = read(channel, "?limit=2&before=" + newest.get("next").asString());
        assertThat(ids(older)).containsExactly("m3", "m2");
        JsonNode oldest = read(channel, "?limit=2&before=" + older.get("next").asString());
        assertThat(ids(oldest)).containsExactly("m1");
        assertThat(oldest.get("next").isNull()).isTrue();

        JsonNode after = read(channel, "?limit=2&after=" + positions.get(1));
        assertThat(ids(after)).as("what came after m2, oldest first").containsExactly("m3", "m4");
        JsonNode rest = read(channel, "?limit=2&after=" + after.get("next").asString());
        assertThat(ids(rest)).containsExactly("m5");
        assertThat(rest.get("next").isNull()).isTrue();
        assertThat(Cursor.parse(rest.get("cursor").asString()).offset()).isGreaterThanOrEqualTo(positions.get(4).offset());
    }

    @Test
    void aChannelWithoutMessagesIsAnEmptyPageWithItsPartitionsPosition() {
        String channel = newChannel("dashboard");

        JsonNode page = read(channel, "");

        assertThat(page.get("items")).isEmpty();
        assertThat(page.get("next").isNull()).isTrue();
        assertThat(Cursor.parse(page.get("cursor").asString()).partition())
                .isEqualTo(UserPartitioner.partitionOf(channel, channelPartitions()));
    }

    @Test
    void aUserReadsTheChannelsTheirTokenGrantsAndNoOthers() {
        String orders = stack.tokenFor(HeraldStack.newUser("olga"), List.of("order:*"));

        assertThat(Http.get(url("order:42", ""), orders).status()).isEqualTo(200);
        assertProblem(Http.get(url("system", ""), orders), 403);
        assertProblem(Http.get(url("order", ""), orders), 403);
        assertProblem(Http.get(url("order:42", ""), stack.tokenFor(HeraldStack.newUser("pia"))), 403);
        assertThat(Http.get(url("system", ""), stack.tokenFor(HeraldStack.newUser("quin"), List.of("system"))).status())
                .isEqualTo(200);
    }

    @Test
    void aServiceWithTheReadScopeReadsAnyChannel() {
        assertThat(Http.get(url("system", ""), HeraldStack.API_KEY).status()).isEqualTo(200);
        assertThat(Http.get(url("order:42", ""), HeraldStack.API_KEY).status()).isEqualTo(200);
        assertProblem(Http.get(url("system", ""), HeraldStack.SEND_ONLY_API_KEY), 403);
    }

    @Test
    void withoutValidCredentialsItIsUnauthorized() {
        assertProblem(Http.get(url("system", ""), null), 401);
        assertProblem(Http.get(url("system", ""), "not-a-key-nor-a-token"), 401);
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        String channel = newChannel("order");
        Cursor position = publish(channel, "m1").get(0);
        awaitApplied(channel, position);
        String orders = stack.tokenFor(HeraldStack.newUser("rita"), List.of("order:*"));

        assertProblem(Http.get(url("Order:42", ""), HeraldStack.API_KEY), 400, "channel");
        assertProblem(Http.get(url("order::42", ""), orders), 400, "channel");
        assertProblem(Http.get(url("order:" + "x".repeat(130), ""), orders), 400, "channel");
        assertProblem(Http.get(url(channel, "?before=yesterday"), HeraldStack.API_KEY), 400, "before");
        assertProblem(Http.get(url(channel, "?after=" + position.partition() + "-x"), HeraldStack.API_KEY), 400, "after");
        assertProblem(Http.get(url(channel, "?after=" + position + "&before=" + position), HeraldStack.API_KEY), 400, "after");
        assertProblem(Http.get(url(channel, "?after=" + new Cursor((position.partition() + 1) % channelPartitions(), 0)), HeraldStack.API_KEY),
                400, "after");
        assertProblem(Http.get(url(channel, "?after=" + position.withEpoch("elsewhere")), HeraldStack.API_KEY), 400, "after");
        for (String limit : List.of("0", "201", "ten")) {
            assertProblem(Http.get(url(channel, "?limit=" + limit), HeraldStack.API_KEY), 400, "limit");
        }
    }

    @Test
    void aPartitionResumesAfterThePositionTheDatabaseHoldsNotKafkasCommittedOffset() {
        String channel = newChannel("system");
        List<Cursor> positions = publish(channel, "m1", "m2");
        awaitApplied(channel, positions.get(1));

        // As if the database had lost its last commit (m2 and the position that covers it) while
        // Kafka kept the group's offset past it.
        MessageListenerContainer consumer = stack.store().getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer(Topics.STORE_CHANNELS_GROUP);
        consumer.stop();
        try {
            JdbcTemplate db = stack.store().getBean(JdbcTemplate.class);
            db.update("DELETE FROM channel_messages WHERE channel = ? AND event_id = 'm2'", channel);
            db.update("UPDATE channel_positions SET applied_offset = ? WHERE kafka_partition = ?", positions.get(0).offset(),
                    positions.get(0).partition());
            assertThat(ids(read(channel, ""))).containsExactly("m1");
        }
        finally {
            consumer.start();
        }

        assertThat(ids(awaitApplied(channel, positions.get(1)))).containsExactly("m2", "m1");
    }

    /** Waits until the store has applied the channel's partition up to {@code position}, and returns its newest page. */
    private JsonNode awaitApplied(String channel, Cursor position) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> read(channel, "?limit=200"),
                page -> Cursor.parse(page.get("cursor").asString()).offset() >= position.offset());
    }

    private JsonNode read(String channel, String query) {
        Http.Response response = Http.get(url(channel, query), HeraldStack.API_KEY);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private String url(String channel, String query) {
        return stack.storeUrl() + "/v1/channels/" + channel + "/messages" + query;
    }

    private int channelPartitions() {
        return stack.store().getBean(HeraldKafkaProperties.class).channelPartitions();
    }

    /** The store's count of channel messages persisted, as Prometheus scrapes it. */
    private double persisted() {
        return Scrape.of(stack.storeUrl()).sum("herald_store_channel_messages_persisted_total");
    }

    /** Publishes one message per id to {@code channel}, as producer-api would, and returns their positions. */
    private static List<Cursor> publish(String channel, String... ids) {
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (String id : ids) {
            records.add(Map.entry(channel, encode(channel, id, "it")));
        }
        return Kafka.produce(TestKafka.bootstrapServers(), Topics.CHANNEL_EVENTS, records);
    }

    private static byte[] encode(String channel, String id, String source) {
        return ChannelMessageCodec.encode(ChannelMessage.of(id, channel, "system.alert", "Title " + id, "Body " + id,
                Http.JSON.createObjectNode().put("n", id), NOW, NOW, source));
    }

    private static List<String> ids(JsonNode page) {
        return page.get("items").valueStream().map(item -> item.get("eventId").asString()).toList();
    }

    /** A channel no other test uses. */
    private static String newChannel(String family) {
        return family + ":" + UUID.randomUUID().toString().substring(0, 8);
    }
}
