package dev.herald.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Kafka;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.Topics;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The store resumes after the last record its database holds, not after Kafka's committed offset:
 * when the database lost its last commit (H2 writes its file up to 500 ms late; a restored backup)
 * while Kafka kept the offset commit that followed it, the lost records are applied again.
 */
class StoreResumeIntegrationTests {

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void recordsTheDatabaseLostAreAppliedAgainWhenTheConsumerResumes() {
        String user = HeraldStack.newUser("resume");
        Instant now = Instant.now();
        List<Cursor> positions = Kafka.produce(TestKafka.bootstrapServers(), Topics.USER_EVENTS, List.of(
                Map.entry(user, notification(user, "n1", now)), Map.entry(user, notification(user, "n2", now)),
                Map.entry(user, notification(user, "n3", now))));
        stack.awaitApplied(user, positions.get(2));
        MessageListenerContainer consumer = stack.store().getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer(Topics.STORE_GROUP);
        consumer.stop();

        // The database loses the commit that applied n3; Kafka's committed offset is already past it.
        JdbcTemplate db = stack.store().getBean(JdbcTemplate.class);
        db.update("DELETE FROM notifications WHERE event_id = ?", "n3-" + user);
        db.update("DELETE FROM notification_keys WHERE user_id = ? AND kafka_offset = ?", user, positions.get(2).offset());
        db.update("UPDATE unread_counts SET unread = 2, unseen = 2 WHERE user_id = ?", user);
        db.update("UPDATE inbox_counts SET unread = 2, unseen = 2 WHERE user_id = ?", user);
        db.update("UPDATE applied_positions SET applied_offset = ? WHERE kafka_partition = ?",
                positions.get(1).offset(), positions.get(1).partition());
        assertThat(stack.inbox(user, "").get("items")).hasSize(2);

        consumer.start();

        assertThat(stack.awaitInbox(user, 3).get("items")).extracting(n -> n.get("eventId").asString())
                .containsExactly("n3-" + user, "n2-" + user, "n1-" + user);
        assertThat(stack.unread(user)).isEqualTo(3);
        assertThat(db.queryForObject("SELECT unread FROM inbox_counts WHERE user_id = ? AND counter_key = 'type:chat.message'",
                Integer.class, user)).as("the per-type counter, applied again with the row").isEqualTo(3);
    }

    private static byte[] notification(String user, String id, Instant at) {
        return EnvelopeCodec.encode(Envelope.notification(id + "-" + user, user, "chat.message", id, "", null, at, at, "it"));
    }
}
