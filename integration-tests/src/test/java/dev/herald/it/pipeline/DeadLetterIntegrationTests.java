package dev.herald.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Kafka;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.Topics;

/** A record that cannot be processed goes to the DLT with the reason; the records after it are stored. */
class DeadLetterIntegrationTests {

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void poisonRecordsGoToTheDeadLetterTopicAndConsumptionGoesOn() {
        String user = HeraldStack.newUser("gus");
        Instant now = Instant.now();
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
        byte[] noTitle = EnvelopeCodec.encode(Envelope.notification("bad-" + user, user, "chat.message", "x", "", null, now, now, "it"));
        String withoutTitle = new String(noTitle, StandardCharsets.UTF_8).replace("\"title\":\"x\",", "");
        byte[] good = EnvelopeCodec.encode(Envelope.notification("good-" + user, user, "chat.message", "Fine", "", null, now, now, "it"));

        List<Cursor> positions = Kafka.produce(TestKafka.bootstrapServers(), Topics.USER_EVENTS, List.of(
                Map.entry(user, garbage), Map.entry(user, withoutTitle.getBytes(StandardCharsets.UTF_8)), Map.entry(user, good)));

        stack.awaitApplied(user, positions.get(2));
        assertThat(stack.inbox(user, "").get("items")).extracting(n -> n.get("eventId").asString()).containsExactly("good-" + user);

        List<ConsumerRecord<String, byte[]>> dead = Kafka.awaitRecords(TestKafka.bootstrapServers(), Topics.USER_EVENTS_DLT,
                record -> user.equals(record.key()), 2);
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        assertThat(header(dead.get(0), Topics.DLT_REASON_HEADER)).contains("not valid JSON");
        assertThat(header(dead.get(0), Topics.DLT_SOURCE_OFFSET_HEADER)).isEqualTo(Long.toString(positions.get(0).offset()));
        assertThat(header(dead.get(0), Topics.DLT_SOURCE_PARTITION_HEADER)).isEqualTo(Integer.toString(positions.get(0).partition()));
        assertThat(header(dead.get(1), Topics.DLT_REASON_HEADER)).contains("title: is required");
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
