package dev.herald.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Kafka;
import dev.herald.it.support.StoreOutage;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.Topics;

import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * A record that cannot be processed goes to the DLT with the reason, once; the records after it are
 * stored. Once also when its batch is retried while the database is down, and when the store reads
 * it again after it was applied.
 */
class DeadLetterIntegrationTests {

    /** The table every batch of user events starts with: taken away, the database is down for the store. */
    private static final String POSITIONS = "applied_positions";

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

        List<ConsumerRecord<String, byte[]>> dead = deadLettersOf(user, 2);
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        assertThat(header(dead.get(0), Topics.DLT_REASON_HEADER)).contains("not valid JSON");
        assertThat(header(dead.get(0), Topics.DLT_SOURCE_OFFSET_HEADER)).isEqualTo(Long.toString(positions.get(0).offset()));
        assertThat(header(dead.get(0), Topics.DLT_SOURCE_PARTITION_HEADER)).isEqualTo(Integer.toString(positions.get(0).partition()));
        assertThat(header(dead.get(1), Topics.DLT_REASON_HEADER)).contains("title: is required");
    }

    @Test
    void aRecordIsDeadLetteredOnceThoughItsBatchWasRetriedWhileTheDatabaseWasDown() {
        String user = HeraldStack.newUser("hugo");
        Instant now = Instant.now();
        List<Cursor> positions;
        int failedAttempts;
        try (StoreOutage outage = StoreOutage.begin(stack, POSITIONS, user)) {
            positions = Kafka.produce(TestKafka.bootstrapServers(), Topics.USER_EVENTS, List.of(
                    Map.entry(user, "{not json".getBytes(StandardCharsets.UTF_8)),
                    Map.entry(user, notification(user, "n1", now)), Map.entry(user, notification(user, "n2", now))));
            await().atMost(Duration.ofSeconds(30)).until(() -> outage.failedAttempts() >= 3);
            failedAttempts = outage.failedAttempts();
        }

        assertThat(stack.awaitApplied(user, positions.get(2)).get("items")).extracting(n -> n.get("eventId").asString())
                .containsExactly("n2-" + user, "n1-" + user);
        assertThat(sourceOffsets(deadLettersOf(user, 1))).as("retried %d times while the database was down", failedAttempts)
                .containsExactly(positions.get(0).offset());
    }

    @Test
    void aRecordReadAgainAfterItWasDeadLetteredIsNotDeadLetteredAgain() {
        String user = HeraldStack.newUser("ines");
        Instant now = Instant.now();
        List<Cursor> positions = Kafka.produce(TestKafka.bootstrapServers(), Topics.USER_EVENTS, List.of(
                Map.entry(user, "{not json".getBytes(StandardCharsets.UTF_8)), Map.entry(user, notification(user, "n1", now))));
        stack.awaitApplied(user, positions.get(1));
        assertThat(sourceOffsets(deadLettersOf(user, 1))).containsExactly(positions.get(0).offset());

        // The store restarts having lost its offset commits (Kafka's offset is back before the dead
        // letter) while the database cannot tell its position: it resumes from Kafka's offset and
        // reads the applied records again, retrying them until the database is back.
        MessageListenerContainer consumer = stack.store().getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer(Topics.STORE_GROUP);
        consumer.stop();
        int failedAttempts;
        try (StoreOutage outage = StoreOutage.begin(stack, POSITIONS, user)) {
            Kafka.commitOffset(TestKafka.bootstrapServers(), Topics.STORE_GROUP, Topics.USER_EVENTS, positions.get(0));
            consumer.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> outage.failedAttempts() >= 2);
            failedAttempts = outage.failedAttempts();
        }
        finally {
            consumer.start();
        }

        Cursor later = Kafka.produce(TestKafka.bootstrapServers(), Topics.USER_EVENTS,
                List.of(Map.entry(user, notification(user, "n2", now)))).get(0);
        assertThat(stack.awaitApplied(user, later).get("items")).extracting(n -> n.get("eventId").asString())
                .containsExactly("n2-" + user, "n1-" + user);
        assertThat(sourceOffsets(deadLettersOf(user, 1))).as("read again and retried %d times", failedAttempts)
                .containsExactly(positions.get(0).offset());
    }

    private static List<ConsumerRecord<String, byte[]>> deadLettersOf(String user, int atLeast) {
        return Kafka.awaitRecords(TestKafka.bootstrapServers(), Topics.USER_EVENTS_DLT, record -> user.equals(record.key()), atLeast);
    }

    private static List<Long> sourceOffsets(List<ConsumerRecord<String, byte[]>> deadLetters) {
        return deadLetters.stream().map(record -> Long.parseLong(header(record, Topics.DLT_SOURCE_OFFSET_HEADER))).toList();
    }

    private static byte[] notification(String user, String id, Instant at) {
        return EnvelopeCodec.encode(Envelope.notification(id + "-" + user, user, "chat.message", id, "", null, at, at, "it"));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
