package dev.herald.gateway.delivery;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.herald.schema.Envelope;
import dev.herald.schema.PreferenceSnapshot;
import dev.herald.schema.Preferences;

/**
 * The preference sets of the users of the partitions this gateway serves, for live delivery: a
 * muted, non-critical notification is not sent to the user's sessions, nor kept in the history
 * that resume replays from (its offset is passed over, so a resume has no gap and no duplicate).
 * Used by the consumer thread only.
 *
 * <p>A partition's sets are loaded from {@code herald.preferences} when it is taken, before its
 * warm-up (so a mute set long before this gateway started is honoured), then kept current by the
 * {@code preferences} events of the partition itself, which arrive in order with the user's
 * notifications: a notification is judged by the last set before it in the stream, exactly as the
 * store judges it. Each set carries the offset of its event; a notification older than the set
 * known for its user (the warm-up reading records from before a set that herald.preferences
 * already holds) is not judged by it, and is delivered.
 *
 * <p>The cost on the delivery path is one hash look-up per notification, nothing more for users
 * without preferences.
 */
final class LiveMutes {

    private final Map<Integer, Map<String, Known>> byPartition = new HashMap<>();
    private final Counter suppressed;

    private record Known(Preferences preferences, long offset) {
    }

    LiveMutes(MeterRegistry meters) {
        this.suppressed = Counter.builder("herald.gateway.notifications.suppressed")
                .description("notifications not delivered live because their user muted their type").register(meters);
    }

    /** A partition taken: its users' sets as herald.preferences holds them. */
    void load(int partition, Iterable<PreferenceSnapshot> snapshots) {
        Map<String, Known> sets = new HashMap<>();
        for (PreferenceSnapshot snapshot : snapshots) {
            if (!snapshot.preferences().isEmpty()) {
                sets.put(snapshot.userId(), new Known(snapshot.preferences(), snapshot.offset()));
            }
        }
        byPartition.put(partition, sets);
    }

    /** A {@code preferences} event of the partition, at {@code offset}. */
    void apply(int partition, Envelope event, long offset) {
        Map<String, Known> sets = byPartition.computeIfAbsent(partition, ignored -> new HashMap<>());
        Known known = sets.get(event.userId());
        if (known != null && known.offset() >= offset) {
            return;
        }
        sets.put(event.userId(), new Known(event.preferences(), offset));
    }

    /** Whether this notification at {@code offset} is held back from its user's sessions (and counted so). */
    boolean suppresses(int partition, Envelope notification, long offset) {
        Map<String, Known> sets = byPartition.get(partition);
        Known known = sets == null ? null : sets.get(notification.userId());
        if (known == null || known.offset() > offset
                || !known.preferences().suppresses(notification.type(), notification.critical())) {
            return false;
        }
        suppressed.increment();
        return true;
    }

    void revoked(int partition) {
        byPartition.remove(partition);
    }
}
