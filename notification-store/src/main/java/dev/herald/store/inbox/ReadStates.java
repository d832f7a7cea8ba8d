package dev.herald.store.inbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.RecordMetadata;

import dev.herald.schema.ArchiveScope;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.Preferences;
import dev.herald.schema.Topics;
import dev.herald.store.ingest.AppliedPositions;
import dev.herald.store.system.StoreProperties;
import dev.herald.support.ApiException;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * State changes (read, seen, archived) go through the user's partition like everything else (invariant 8): publish
 * the event, then wait until this store has applied it, so the caller reads its own write and
 * every tab learns it in order through its gateway.
 */
@Component
class ReadStates {

    static final String SOURCE = "notification-store";

    private final KafkaTemplate<String, byte[]> kafka;
    private final AppliedPositions positions;
    private final Clock clock;
    private final Duration timeout;

    ReadStates(KafkaTemplate<String, byte[]> kafka, AppliedPositions positions, Clock clock, StoreProperties properties) {
        this.kafka = kafka;
        this.positions = positions;
        this.clock = clock;
        this.timeout = properties.readTimeout();
    }

    Change markRead(String userId, String eventId) {
        return publish(Envelope.read(UUID.randomUUID().toString(), userId, List.of(eventId), now(), SOURCE));
    }

    /** Marks a message of an inbox channel read for this user only, through the user's partition as any read. */
    Change markChannelRead(String userId, String channel, String eventId) {
        return publish(Envelope.readChannel(UUID.randomUUID().toString(), userId, channel, List.of(eventId), now(), SOURCE));
    }

    Change markAllRead(String userId) {
        return publish(Envelope.readAll(UUID.randomUUID().toString(), userId, now(), SOURCE));
    }

    /**
     * Seen, archived, unarchived (issue 17): for one of the user's own notifications, or with
     * {@code channel} one message of that inbox channel.
     */
    Change markSeen(String userId, String channel, String eventId) {
        return publish(Envelope.seen(UUID.randomUUID().toString(), userId, channel, List.of(eventId), now(), SOURCE));
    }

    Change archive(String userId, String channel, String eventId) {
        return publish(Envelope.archive(UUID.randomUUID().toString(), userId, channel, List.of(eventId), now(), SOURCE));
    }

    Change unarchive(String userId, String channel, String eventId) {
        return publish(Envelope.unarchive(UUID.randomUUID().toString(), userId, channel, List.of(eventId), now(), SOURCE));
    }

    Change markAllSeen(String userId) {
        return publish(Envelope.seenAll(UUID.randomUUID().toString(), userId, now(), SOURCE));
    }

    Change archiveAll(String userId, ArchiveScope scope) {
        return publish(Envelope.archiveAll(UUID.randomUUID().toString(), userId, scope, now(), SOURCE));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private Change publish(Envelope event) {
        Cursor position;
        try {
            RecordMetadata metadata = kafka.send(Topics.USER_EVENTS, event.userId(), EnvelopeCodec.encode(event))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .getRecordMetadata();
            position = positions.cursor(metadata.partition(), metadata.offset());
        }
        catch (ExecutionException | TimeoutException | RuntimeException ex) {
            throw ApiException.unavailable("the event stream is not accepting records right now; retry later", timeout);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted", timeout);
        }
        try {
            return new Change(event.eventId(), position, positions.awaitApplied(position, timeout));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Change(event.eventId(), position, false);
        }
    }

    /** Replaces the user's whole preference set, through the user's partition like a read. */
    Change setPreferences(String userId, Preferences preferences) {
        return publish(Envelope.preferences(UUID.randomUUID().toString(), userId, preferences, now(), SOURCE));
    }

    /** A published read-state event; {@code applied} tells whether the inbox reflects it yet. */
    record Change(String eventId, Cursor cursor, boolean applied) {
    }
}
