package dev.herald.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.Test;

import dev.herald.schema.ChannelMessage;
import dev.herald.schema.ChannelMessageCodec;
import dev.herald.schema.Topics;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Which channel records are dead-lettered, and when (as for user events, {@link UserEventsListenerTests}):
 * in the transaction that moves the position past them, forwarded after it; a database that fails
 * as a whole reaches the container, to be retried, and dead-letters nothing.
 */
class ChannelEventsListenerTests {

    private static final Instant AT = Instant.parse("2026-11-28T12:00:00.123Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> calls = new ArrayList<>();
    private final ChannelDeadLetters deadLetters = new ChannelDeadLetters(null, null, Clock.systemUTC(), registry) {
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
    void itsCountersExistFromTheStart() {
        listener(messages -> {
        });

        assertThat(registry.get("herald.store.channel.messages.persisted").counter().count()).isZero();
        assertThat(registry.get("herald.store.channel.messages.duplicates").counter().count()).isZero();
        assertThat(registry.get("herald.store.channel.messages.dead_lettered").counter().count()).isZero();
    }

    @Test
    void anInvalidRecordOrOneWhoseKeyIsNotItsChannelIsDeadLetteredWithItsBatch() {
        ChannelEventsListener listener = listener(messages -> {
        });

        listener.onBatch(List.of(record("m1", "system", 0), garbage(1), record("m2", "order:42", 2), record("m3", "system", 3)));

        assertThat(calls).containsExactly(
                "apply [m1, m3] dead [1: $: not valid JSON, 2: channel: does not match the record key] up to {0=3}",
                "may have rows [0]",
                "forward [0]");
        assertThat(registry.get("herald.store.channel.messages.persisted").counter().count()).isEqualTo(2);
    }

    @Test
    void aRecordTheDatabaseRefusesIsDeadLetteredAlone() {
        ChannelEventsListener listener = listener(messages -> {
            if (messages.stream().anyMatch(m -> m.message().eventId().equals("bad"))) {
                throw new DataIntegrityViolationException("Data too long for column 'body'");
            }
        });

        listener.onBatch(List.of(record("m1", "system", 0), record("bad", "system", 1)));

        assertThat(calls).containsExactly(
                "apply [m1, bad] dead [] up to {0=1}",
                "may have rows [0]",
                "apply [m1] dead [] up to {0=0}",
                "apply [bad] dead [] up to {0=1}",
                "apply [] dead [1: the store refused it: Data too long for column 'body'] up to {0=1}",
                "forward [0]");
    }

    @Test
    void aDatabaseThatFailsAsAWholeDeadLettersNothing() {
        ChannelEventsListener listener = listener(messages -> {
            throw new DataAccessResourceFailureException("Connection refused");
        });

        assertThatThrownBy(() -> listener.onBatch(List.of(record("m1", "system", 0), garbage(1))))
                .isInstanceOf(DataAccessResourceFailureException.class);
        assertThat(calls).as("the transaction that would have recorded it failed; nothing is forwarded")
                .containsExactly("apply [m1] dead [1: $: not valid JSON] up to {0=1}");
    }

    /** A listener whose writer records each call, then runs {@code apply} on the messages (which may throw). */
    private ChannelEventsListener listener(Consumer<List<PositionedMessage>> apply) {
        ChannelWriter writer = new ChannelWriter(null, null, Clock.systemUTC()) {
            @Override
            Applied apply(List<PositionedMessage> messages, List<DeadLetter> dead, Map<Integer, Long> batchEnds) {
                calls.add("apply " + messages.stream().map(m -> m.message().eventId()).toList()
                        + " dead " + dead.stream().map(d -> d.offset() + ": " + d.reason()).toList() + " up to " + batchEnds);
                apply.accept(messages);
                return new Applied(messages.size(), 0, dead.size());
            }
        };
        return new ChannelEventsListener(writer, deadLetters, null, registry);
    }

    /** A record keyed {@code system} holding a message to {@code channel}. */
    private static ConsumerRecord<String, byte[]> record(String eventId, String channel, long offset) {
        ChannelMessage message = ChannelMessage.of(eventId, channel, "system.alert", "Hi", "", null, AT, AT, "it");
        return new ConsumerRecord<>(Topics.CHANNEL_EVENTS, 0, offset, "system", ChannelMessageCodec.encode(message));
    }

    private static ConsumerRecord<String, byte[]> garbage(long offset) {
        return new ConsumerRecord<>(Topics.CHANNEL_EVENTS, 0, offset, "system", "{not json".getBytes(StandardCharsets.UTF_8));
    }
}
