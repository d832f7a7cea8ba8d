package dev.herald.store.receipts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.herald.schema.Envelope;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The tracker's tables (V8): pending watches, the receipts they are answered by, and the applied
 * positions of {@code herald.user-events}. Callers run these in their own transactions.
 */
@Component
@ConditionalOnProperty(name = "herald.store.receipts.enabled", havingValue = "true")
class Watches {

    /** A pending watch, as the scheduler reads it. */
    record Watch(String userId, String eventId, String source, String type, String title, long acceptedAtMs,
            Long deliveredAtMs, Long undeliveredDueMs, Long unseenDueMs, long nextDueMs) {
    }

    /** What a receipt (or a read) said about an eventId. */
    record Mark(String userId, String eventId, String kind, long atMs) {

        static final String DELIVERED = "delivered";
        static final String SEEN = "seen";
    }

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    Watches(JdbcTemplate jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    /** Starts watching these notifications; a second copy of one (same user, eventId and source) is ignored. */
    void watch(List<Envelope> notifications, long undeliveredAfterMs, long unseenAfterMs) {
        if (notifications.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("""
                INSERT IGNORE INTO receipt_watches (user_id, event_id, source, type, title, accepted_at_ms,
                    undelivered_due_ms, unseen_due_ms, next_due_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", notifications, notifications.size(), (ps, e) -> {
            long accepted = e.acceptedAt().toEpochMilli();
            Long undeliveredDue = undeliveredAfterMs > 0 ? accepted + undeliveredAfterMs : null;
            Long unseenDue = unseenAfterMs > 0 ? accepted + unseenAfterMs : null;
            ps.setString(1, e.userId());
            ps.setString(2, e.eventId());
            ps.setString(3, e.source());
            ps.setString(4, e.type());
            ps.setString(5, e.title());
            ps.setLong(6, accepted);
            ps.setObject(7, undeliveredDue);
            ps.setObject(8, unseenDue);
            ps.setLong(9, undeliveredDue != null ? undeliveredDue : unseenDue);
        });
    }

    /** Records receipts for the watches to read when they fall due; a receipt already recorded is ignored. */
    void mark(List<Mark> marks, long expiresAtMs) {
        if (marks.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT IGNORE INTO receipt_marks (user_id, event_id, kind, at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?)",
                marks, marks.size(), (ps, m) -> {
                    ps.setString(1, m.userId());
                    ps.setString(2, m.eventId());
                    ps.setString(3, m.kind());
                    ps.setLong(4, m.atMs());
                    ps.setLong(5, expiresAtMs);
                });
    }

    /** The user read these notifications: read means delivered and seen, so their watches are answered. */
    void read(String userId, List<String> eventIds) {
        named.update("DELETE FROM receipt_watches WHERE user_id = :user AND event_id IN (:ids)",
                Map.of("user", userId, "ids", eventIds));
    }

    /** The user read everything so far: every watch of theirs (all of them precede the read_all in the stream). */
    void readAll(String userId) {
        jdbc.update("DELETE FROM receipt_watches WHERE user_id = ?", userId);
    }

    /** Watches due at {@code nowMs}, earliest first. */
    List<Watch> due(long nowMs, int limit) {
        return jdbc.query("""
                SELECT user_id, event_id, source, type, title, accepted_at_ms, delivered_at_ms, undelivered_due_ms,
                    unseen_due_ms, next_due_ms
                FROM receipt_watches WHERE next_due_ms <= ? ORDER BY next_due_ms LIMIT ?""",
                (rs, n) -> new Watch(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getLong(6), rs.getObject(7, Long.class), rs.getObject(8, Long.class),
                        rs.getObject(9, Long.class), rs.getLong(10)),
                nowMs, limit);
    }

    /** The receipts of these watches' eventIds, by user and eventId. */
    Map<String, List<Mark>> marksOf(List<Watch> watches) {
        if (watches.isEmpty()) {
            return Map.of();
        }
        Set<String> users = new HashSet<>();
        Set<String> ids = new HashSet<>();
        watches.forEach(w -> {
            users.add(w.userId());
            ids.add(w.eventId());
        });
        Map<String, List<Mark>> marks = new HashMap<>();
        named.query("SELECT user_id, event_id, kind, at_ms FROM receipt_marks WHERE user_id IN (:users) AND event_id IN (:ids)",
                Map.of("users", users, "ids", ids), rs -> {
                    Mark mark = new Mark(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4));
                    marks.computeIfAbsent(key(mark.userId(), mark.eventId()), k -> new ArrayList<>()).add(mark);
                });
        return marks;
    }

    static String key(String userId, String eventId) {
        return userId + "\n" + eventId;
    }

    /**
     * Replaces a watch that this caller read at {@code expectedNextDueMs}: deletes it when both
     * questions are answered, else updates it. False when another store instance handled it first.
     */
    boolean resolve(Watch watch, Long deliveredAtMs, Long undeliveredDueMs, Long unseenDueMs) {
        if (undeliveredDueMs == null && unseenDueMs == null) {
            return jdbc.update("DELETE FROM receipt_watches WHERE user_id = ? AND event_id = ? AND source = ? AND next_due_ms = ?",
                    watch.userId(), watch.eventId(), watch.source(), watch.nextDueMs()) == 1;
        }
        long nextDue = undeliveredDueMs == null ? unseenDueMs : unseenDueMs == null ? undeliveredDueMs
                : Math.min(undeliveredDueMs, unseenDueMs);
        return jdbc.update("""
                UPDATE receipt_watches SET delivered_at_ms = ?, undelivered_due_ms = ?, unseen_due_ms = ?, next_due_ms = ?
                WHERE user_id = ? AND event_id = ? AND source = ? AND next_due_ms = ?""",
                deliveredAtMs, undeliveredDueMs, unseenDueMs, nextDue, watch.userId(), watch.eventId(), watch.source(),
                watch.nextDueMs()) == 1;
    }

    /** Deletes the receipts of these (answered) watches' eventIds. */
    void forgetMarks(List<Watch> answered) {
        if (!answered.isEmpty()) {
            jdbc.batchUpdate("DELETE FROM receipt_marks WHERE user_id = ? AND event_id = ?",
                    answered.stream().map(w -> new Object[] { w.userId(), w.eventId() }).toList());
        }
    }

        int expireMarks(long nowMs, int limit) {
        return jdbc.update("DELETE FROM receipt_marks WHERE expires_at_ms < ? LIMIT ?", nowMs, limit);
    }

    long pending() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM receipt_watches", Long.class);
        return count == null ? 0 : count;
    }

    /** The applied offset of each of these partitions of herald.user-events (-1 when none yet). */
    Map<Integer, Long> positions(Set<Integer> partitions) {
        Map<Integer, Long> positions = new HashMap<>();
        partitions.forEach(p -> positions.put(p, -1L));
        named.query("SELECT kafka_partition, applied_offset FROM receipt_positions WHERE kafka_partition IN (:partitions)",
                Map.of("partitions", partitions), rs -> {
                    positions.put(rs.getInt(1), rs.getLong(2));
                });
        return positions;
    }

    void advance(int partition, long offset) {
        if (jdbc.update("UPDATE receipt_positions SET applied_offset = ? WHERE kafka_partition = ? AND applied_offset < ?",
                offset, partition, offset) == 0) {
            jdbc.update("INSERT IGNORE INTO receipt_positions (kafka_partition, applied_offset) VALUES (?, ?)", partition, offset);
        }
    }
}
