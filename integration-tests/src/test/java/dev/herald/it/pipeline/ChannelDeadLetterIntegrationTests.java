package dev.herald.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.Kafka;
import dev.herald.it.support.StoreOutage;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.ChannelMessage;
import dev.herald.schema.ChannelMessageCodec;
import dev.herald.schema.Cursor;
import dev.herald.schema.Topics;


/**
 * A channel record the store cannot process goes to {@code herald.channel-events.DLT} with the
 * reason, once, and the messages after it are stored; once also when its batch is retried while
 * the database is down, which is retried and never skipped.
 */
class ChannelDeadLetterIntegrationTests {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void poisonRecordsGoToTheChannelDeadLetterTopicAndConsumptionGoesOn() {
        String channel = newChannel();
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
        byte[] otherChannel = message("elsewhere", "system");
        String withoutTitle = new String(message("untitled", channel), StandardCharsets.UTF_8)
                .replace("\"title\":\"untitled\",", "");

        List<Cursor> positions = Kafka.produce(TestKafka.bootstrapServers(), Topics.CHANNEL_EVENTS, List.of(
                Map.entry(channel, garbage), Map.entry(channel, otherChannel),
                Map.entry(channel, withoutTitle.getBytes(StandardCharsets.UTF_8)), Map.entry(channel, message("good", channel))));

        assertThat(ids(awaitApplied(channel, positions.get(3)))).containsExactly("good");
        List<ConsumerRecord<String, byte[]>> dead = deadLettersOf(channel, 3);
        assertThat(sourceOffsets(dead)).containsExactly(positions.get(0).offset(), positions.get(1).offset(),
                positions.get(2).offset());
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        assertThat(header(dead.get(0), Topics.DLT_REASON_HEADER)).contains("not valid JSON");
        assertThat(header(dead.get(0), Topics.DLT_SOURCE_PARTITION_HEADER)).isEqualTo(Integer.toString(positions.get(0).partition()));
        assertThat(header(dead.get(1), Topics.DLT_REASON_HEADER)).contains("channel: does not match the record key");
        assertThat(header(dead.get(2), Topics.DLT_REASON_HEADER)).contains("title: is required");
    }

    @Test
    void aRecordIsDeadLetteredOnceThoughItsBatchWasRetriedWhileTheDatabaseWasDown() {
        String channel = newChannel();
        List<Cursor> positions;
        int failedAttempts;
        try (StoreOutage outage = StoreOutage.begin(stack, "channel_positions", channel)) {
            positions = Kafka.produce(TestKafka.bootstrapServers(), Topics.CHANNEL_EVENTS, List.of(
                    Map.entry(channel, "{not json".getBytes(StandardCharsets.UTF_8)),
                    Map.entry(channel, message("m1", channel)), Map.entry(channel, message("m2", channel))));
            await().atMost(Duration.ofSeconds(30)).until(() -> outage.failedAttempts() >= 3);
            failedAttempts = outage.failedAttempts();
        }

        assertThat(ids(awaitApplied(channel, positions.get(2)))).as("nothing skipped").containsExactly("m2", "m1");
        assertThat(sourceOffsets(deadLettersOf(channel, 1))).as("retried %d times while the database was down", failedAttempts)
                .containsExactly(positions.get(0).offset());
    }

    private JsonNode awaitApplied(String channel, Cursor position) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            Http.Response response = Http.get(stack.storeUrl() + "/v1/channels/" + channel + "/messages", HeraldStack.API_KEY);
            return response.status() == 200 ? response.json() : null;
        }, page -> page != null && Cursor.parse(page.get("cursor").asString()).offset() >= position.offset());
    }

    private static List<ConsumerRecord<String, byte[]>> deadLettersOf(String channel, int atLeast) {
        return Kafka.awaitRecords(TestKafka.bootstrapServers(), Topics.CHANNEL_EVENTS_DLT, record -> channel.equals(record.key()),
                atLeast);
    }

    private static List<Long> sourceOffsets(List<ConsumerRecord<String, byte[]>> deadLetters) {
        return deadLetters.stream().map(record -> Long.parseLong(header(record, Topics.DLT_SOURCE_OFFSET_HEADER))).toList();
    }

    private static byte[] message(String id, String channel) {
        return ChannelMessageCodec.encode(ChannelMessage.of(id, channel, "system.alert", id, "", null, NOW, NOW, "it"));
    }

    private static List<String> ids(JsonNode page) {
        return page.get("items").valueStream().map(item -> item.get("eventId").asString()).toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** A channel no other test uses. */
    private static String newChannel() {
        return "order:" + UUID.randomUUID().toString().substring(0, 8);
    }
}
