package dev.herald.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
 * Which records are dead-lettered, and when: a record that is invalid, or that the database refuses
 * for what it holds, in the same transaction that moves the position past it, and forwarded only
 * after that. The database failing as a whole (down, or closed while the service shuts down) must
 * reach the container, which retries the batch, and must dead-letter nothing.
 */
class UserEventsListenerTests {

    private static final Instant AT = Instant.parse("2026-11-28T12:00:00.123Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** What happened, in order: each transaction the writer was asked for, and each forward. */
    private final List<String> calls = new ArrayList<>();
    private final AppliedPositions positions = new AppliedPositions(null, registry, null);
    private final DeadLetters deadLetters = new DeadLetters(null, null, Clock.systemUTC(), registry) {
        @Override
        void mayHaveRows(Collection<Integer> partitions) {
            if (!partitions.isEmpty()) {
                calls.add("may have rows " + partitions);
            }
        }

        @Override
        void forward(Collection<Integer> partitions) {
            calls.add("forward " + partitions);
        }
    };

    @Test
    void anInvalidRecordIsDeadLetteredInTheTransactionThatAppliesItsBatchThenForwarded() {
        UserEventsListener listener = listener(events -> {
        });

        listener.onBatch(List.of(record("n1", 0), garbage(1), record("n2", 2)));

        assertThat(calls).containsExactly(
                "apply [n1, n2] dead [1: $: not valid JSON (line 1, column 2)] up to {0=2}",
                "may have rows [0]",
                "forward [0]");
    }

    @Test
    void aRecordTheDatabaseRefusesIsDeadLetteredInTheTransactionThatMovesThePositionPastIt() {
        UserEventsListener listener = listener(events -> {
            if (events.stream().anyMatch(e -> e.event().eventId().equals("bad"))) {
                throw new DataIntegrityViolationException("Data too long for column 'body'");
            }
        });

        listener.onBatch(List.of(record("n1", 0), record("bad", 1), garbage(2), record("n2", 3)));

        assertThat(calls).containsExactly(
                "apply [n1, bad, n2] dead [2: $: not valid JSON (line 1, column 2)] up to {0=3}",
                "may have rows [0]",
                "apply [n1] dead [] up to {0=0}",
                "apply [bad] dead [] up to {0=1}",
                "apply [] dead [1: the store refused it: Data too long for column 'body'] up to {0=1}",
                "apply [] dead [2: $: not valid JSON (line 1, column 2)] up to {0=2}",
                "apply [n2] dead [] up to {0=3}",
                "forward [0]");
    }

    @Test
    void aDatabaseThatFailsAsAWholeDeadLettersNothing() {
        UserEventsListener listener = listener(events -> {
            throw new DataAccessResourceFailureException("Database is already closed");
        });

        assertThatThrownBy(() -> listener.onBatch(List.of(record("n1", 0), garbage(1), record("n2", 2))))
                .isInstanceOf(DataAccessResourceFailureException.class);
        assertThat(calls).as("the transaction that would have recorded it failed; nothing is forwarded")
                .containsExactly("apply [n1, n2] dead [1: $: not valid JSON (line 1, column 2)] up to {0=2}");
        assertThat(registry.find("herald.store.applied.offset").gauge()).as("no position advanced").isNull();
    }

    @Test
    void aPartitionWhosePositionCannotBeReadResumesFromTheCommittedOffset() {
        AppliedPositions unreadable = new AppliedPositions(null, registry, null) {
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

    /** A listener whose writer records each call, then runs {@code apply} on the events (which may throw). */
    private UserEventsListener listener(Consumer<List<PositionedEvent>> apply) {
        InboxWriter writer = new InboxWriter(null, null, Clock.systemUTC(), MigratedH2.properties(), MigratedH2.publisher()) {
            @Override
            Applied apply(List<PositionedEvent> events, List<DeadLetter> dead, Map<Integer, Long> batchEnds) {
                calls.add("apply " + events.stream().map(e -> e.event().eventId()).toList()
                        + " dead " + dead.stream().map(d -> d.offset() + ": " + d.reason()).toList() + " up to " + batchEnds);
                apply.accept(events);
                return new Applied(events.size(), 0, dead.size());
            }
        };
        return new UserEventsListener(writer, deadLetters, positions, registry);
    }

    private static ConsumerRecord<String, byte[]> record(String eventId, long offset) {
        Envelope event = Envelope.notification(eventId, "alice", "chat.message", "Hi", "", null, AT, AT, "it");
        return new ConsumerRecord<>(Topics.USER_EVENTS, 0, offset, "alice", EnvelopeCodec.encode(event));
    }

    private static ConsumerRecord<String, byte[]> garbage(long offset) {
        return new ConsumerRecord<>(Topics.USER_EVENTS, 0, offset, "alice", "{not json".getBytes(StandardCharsets.UTF_8));
    }
}
