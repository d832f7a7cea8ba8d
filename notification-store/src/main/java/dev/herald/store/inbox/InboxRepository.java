package dev.herald.store.inbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import tools.jackson.databind.JsonNode;

import dev.herald.schema.Cursor;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.store.ingest.AppliedPositions;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads of the inbox tables. All writes go through the stream (InboxWriter). */
@Repository
class InboxRepository {

    private static final String COLUMNS = """
            SELECT event_id, kafka_partition, kafka_offset, type, title, body, data, source,
                   occurred_at_ms, accepted_at_ms, read_at_ms, seen_at_ms, archived_at_ms, actions, expires_at_ms
            FROM notifications""";

    /** What lists leave out: notifications expired by now (the retention job deletes them later). */
    static final String NOT_EXPIRED = " AND (expires_at_ms IS NULL OR expires_at_ms > :now)";

    private final JdbcClient jdbc;
    private final AppliedPositions positions;
    private final Clock clock;

    InboxRepository(JdbcClient jdbc, AppliedPositions positions, Clock clock) {
        this.jdbc = jdbc;
        this.positions = positions;
        this.clock = clock;
    }

    /**
     * At most {@code limit} items of the user within {@code (after, before)} and at or below
     * {@code upTo}, newest first, or oldest first when {@code oldestFirst}.
     */
    List<InboxMerge.Candidate<InboxItem>> page(String userId, Status status, MutedFilter muted, long afterOffset,
            long beforeOffset, Cursor upTo, boolean oldestFirst, int limit) {
        String sql = COLUMNS + " WHERE user_id = :user AND kafka_partition = :partition"
                + " AND kafka_offset > :after AND kafka_offset < :before AND kafka_offset <= :upTo"
                + status.condition() + muted.condition() + NOT_EXPIRED
                + " ORDER BY kafka_offset " + (oldestFirst ? "ASC" : "DESC") + " LIMIT :limit";
        return jdbc.sql(sql)
                .param("user", userId)
                .param("partition", upTo.partition())
                .param("after", afterOffset)
                .param("before", beforeOffset)
                .param("upTo", upTo.offset())
                .param("now", clock.millis())
                .param("limit", limit)
                .query((rs, row) -> new InboxMerge.Candidate<>(InboxMerge.USER, rs.getLong("kafka_offset"),
                        rs.getLong("accepted_at_ms"), item(rs)))
                .list();
    }

    /** Whether the user has a notification with this eventId (from one sender or several). */
    boolean holds(String userId, String eventId) {
        return jdbc.sql("SELECT 1 FROM notifications WHERE user_id = :user AND event_id = :id LIMIT 1")
                .param("user", userId)
                .param("id", eventId)
                .query(Integer.class)
                .optional()
                .isPresent();
    }

    /**
     * The unread count of the user's own notifications (inbox channels come on top: {@link UnreadCounts}):
     * {@code unread_counts}, which counts every unread row that is neither archived nor muted, less
     * the user's such rows that have expired but that the retention job has not deleted yet (it
     * deletes them and lowers {@code unread_counts} in one transaction, so a snapshot sees each such
     * row in exactly one of the two). The second is one range of {@code notification_expiries}' key:
     * only the user's expired rows, never the inbox.
     */
    int unreadCount(String userId) {
        return Math.max(0, counted(userId, "unread") - expiredButCounted(userId, "read_at_ms"));
    }

    /** The unseen count of the user's own notifications, kept with the unread count and found as it is. */
    int unseenCount(String userId) {
        return Math.max(0, counted(userId, "unseen") - expiredButCounted(userId, "seen_at_ms"));
    }

    private int counted(String userId, String column) {
        return jdbc.sql("SELECT " + column + " FROM unread_counts WHERE user_id = ?")
                .param(userId)
                .query(Integer.class)
                .optional()
                .orElse(0);
    }

    /** The user's expired, not yet deleted rows that {@code unread_counts} still counts (not yet {@code stateColumn}). */
    private int expiredButCounted(String userId, String stateColumn) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM notification_expiries e JOIN notifications n ON n.id = e.notification_id
                WHERE e.user_id = :user AND e.expires_at_ms <= :now AND n.%s IS NULL
                  AND n.archived_at_ms IS NULL AND n.muted = 0""".formatted(stateColumn))
                .param("user", userId)
                .param("now", clock.millis())
                .query(Integer.class)
                .single();
    }

    private InboxItem item(ResultSet rs) throws SQLException {
        String data = rs.getString("data");
        long readAt = rs.getLong("read_at_ms");
        boolean read = !rs.wasNull();
        Instant seenAt = instantOrNull(rs, "seen_at_ms");
        Instant archivedAt = instantOrNull(rs, "archived_at_ms");
        return new InboxItem(
                rs.getString("event_id"),
                positions.cursor(rs.getInt("kafka_partition"), rs.getLong("kafka_offset")).toString(),
                rs.getString("type"),
                rs.getString("title"),
                rs.getString("body"),
                data == null ? null : EnvelopeCodec.mapper().readTree(data),
                rs.getString("source"),
                Instant.ofEpochMilli(rs.getLong("occurred_at_ms")),
                Instant.ofEpochMilli(rs.getLong("accepted_at_ms")),
                read,
                read ? Instant.ofEpochMilli(readAt) : null,
                null,
                null,
                seenAt != null,
                seenAt,
                archivedAt != null,
                archivedAt,
                actions(rs),
                expiresAt(rs));
    }

    /** The {@code actions} column (V7) as JSON; null when the item has none. */
    static JsonNode actions(ResultSet rs) throws SQLException {
        String actions = rs.getString("actions");
        return actions == null ? null : EnvelopeCodec.mapper().readTree(actions);
    }

    /** The {@code expires_at_ms} column (V7); null when the item never expires. */
    static Instant expiresAt(ResultSet rs) throws SQLException {
        return instantOrNull(rs, "expires_at_ms");
    }

    private static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
    }

    /**
     * The {@code status} filter of inbox pages. Archived items are in {@link #ARCHIVED} pages only:
     * archiving hides an item from the default list ({@link #ALL}) and from every other filter.
     */
    enum Status {
        UNREAD(" AND read_at_ms IS NULL AND archived_at_ms IS NULL"),
        READ(" AND read_at_ms IS NOT NULL AND archived_at_ms IS NULL"),
        ALL(" AND archived_at_ms IS NULL"),
        UNSEEN(" AND seen_at_ms IS NULL AND archived_at_ms IS NULL"),
        SEEN(" AND seen_at_ms IS NOT NULL AND archived_at_ms IS NULL"),
        ARCHIVED(" AND archived_at_ms IS NOT NULL");

        /** The values as the API spells them, for refusals. */
        static final String NAMES = "unread, read, all, unseen, seen, archived";

        private final String condition;

        Status(String condition) {
            this.condition = condition;
        }

        String condition() {
            return condition;
        }
    }
}
