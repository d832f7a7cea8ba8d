package dev.herald.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.Topics;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.listener.ConsumerSeekAware.ConsumerSeekCallback;

/**
 * Which failures send a record to the DLT: only a record the database refuses for what it holds.
 * The database failing as a whole (down, or closed while the service shuts down) must reach the
 * container, which retries the batch, and must dead-letter nothing.
 */
class UserEventsListenerTests {

    private static final Instant AT = Instant.parse("2026-11-28T12:00:00.123Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> deadLettered = new ArrayList<>();
    private final List<String> applied = new ArrayList<>();
    private final AppliedPositions positions = new AppliedPositions(null, registry);
    private final DeadLetters deadLetters = new DeadLetters(null, registry) {
        @Override
        void send(ConsumerRecord<String, byte[]> record, String reason) {
            deadLettered.add(EnvelopeCodec.eventIdOf(record.value()).orElseThrow() + ": " + reason);
        }
    };

    @Test
    void aRecordTheDatabaseRefusesGoesToTheDltAndTheOthersAreApplied() {
        UserEventsListener listener = listener(events -> {
            if (events.stream().anyMatch(e -> e.event().eventId().equals("bad"))) {
                throw new DataIntegrityViolationException("Data too long for column 'body'");
            }
            events.forEach(e -> applied.add(e.event().eventId()));
        });

        listener.onBatch(List.of(record("n1", 0), record("bad", 1), record("n2", 2)));

        assertThat(applied).containsExactly("n1", "n2");
        assertThat(deadLettered).singleElement().asString().startsWith("bad: the store refused it: Data too long");
    }

    @Test
    void aDatabaseThatFailsAsAWholeDeadLettersNothing() {
        UserEventsListener listener = listener(events -> {
            throw new DataAccessResourceFailureException("Database is already closed");
        });

        assertThatThrownBy(() -> listener.onBatch(List.of(record("n1", 0), record("n2", 1))))
                .isInstanceOf(DataAccessResourceFailureException.class);
        assertThat(deadLettered).isEmpty();
        assertThat(registry.find("herald.store.applied.offset").gauge()).as("no position advanced").isNull();
    }

    @Test
    void aPartitionWhosePositionCannotBeReadResumesFromTheCommittedOffset() {
        AppliedPositions unreadable = new AppliedPositions(null, registry) {
            @Override
            public Cursor current(int partition) {
                if (partition == 1) {
                    throw new DataAccessResourceFailureException("Connection refused");
                }
                return new Cursor(partition, 41);
            }
        };
        UserEventsListener listener = new UserEventsListener(null, deadLetters, unreadable, registry);
        List<String> seeks = new ArrayList<>();
        // Records seek(topic, partition, offset); the callback's other ways to seek must not be used.
        ConsumerSeekCallback callback = (ConsumerSeekCallback) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { ConsumerSeekCallback.class }, (proxy, method, args) -> {
                    if (method.getName().equals("seek") && args.length == 3 && args[2] instanceof Long offset) {
                        seeks.add(args[1] + "@" + offset);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.toString());
                });

        listener.onPartitionsAssigned(Map.of(new TopicPartition(Topics.USER_EVENTS, 0), 0L,
                new TopicPartition(Topics.USER_EVENTS, 1), 0L), callback);

        assertThat(seeks).containsExactly("0@42");
    }

    private UserEventsListener listener(java.util.function.Consumer<List<PositionedEvent>> apply) {
        InboxWriter writer = new InboxWriter(null, null) {
            @Override
            Applied apply(List<PositionedEvent> events, Map<Integer, Long> batchEnds) {
                apply.accept(events);
                return new Applied(events.size(), 0);
            }
        };
        return new UserEventsListener(writer, deadLetters, positions, registry);
    }

    private static ConsumerRecord<String, byte[]> record(String eventId, long offset) {
        Envelope event = Envelope.notification(eventId, "alice", "chat.message", "Hi", "", null, AT, AT, "it");
        return new ConsumerRecord<>(Topics.USER_EVENTS, 0, offset, "alice", EnvelopeCodec.encode(event));
    }
}
