package dev.herald.store.inbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.herald.schema.Cursor;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.store.filters.FilterKeys;
import dev.herald.store.ingest.AppliedPositions;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads of the inbox tables. All writes go through the stream (InboxWriter). */
@Repository
class InboxRepository {

    private static final String COLUMNS = """
            SELECT event_id, kafka_partition, kafka_offset, type, title, body, data, source,
                   occurred_at_ms, accepted_at_ms, read_at_ms, seen_at_ms, archived_at_ms, actions, expires_at_ms, tags
            FROM notifications""";

    /**
     * The same columns for a page of one stored filter key: the key's rows of the user (a range of the
     * primary key of notification_keys, in offset order), each joined to its notification.
     */
    private static final String KEYED_COLUMNS = """
            SELECT n.event_id, n.kafka_partition, n.kafka_offset, n.type, n.title, n.body, n.data, n.source,
                   n.occurred_at_ms, n.accepted_at_ms, n.read_at_ms, n.seen_at_ms, n.archived_at_ms, n.actions,
                   n.expires_at_ms, n.tags
            FROM notification_keys k JOIN notifications n
              ON n.user_id = k.user_id AND n.kafka_offset = k.kafka_offset AND n.kafka_partition = k.kafka_partition""";

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
     * {@code upTo}, newest first, or oldest first when {@code oldestFirst}; with a filter
     * {@code key} ({@code type:order.*}, {@code tag:vip}: see FilterKeys, null for none) only the
     * notifications under it, paged by the same offsets, so the cursor rules of the unfiltered list hold.
     * A prefix is the page of each exact type it covers (one ordered range of the key table each,
     * found by one look-up of the user's keys in its range), merged by offset.
     */
    List<InboxMerge.Candidate<InboxItem>> page(String userId, String key, Status status, MutedFilter muted, long afterOffset,
            long beforeOffset, Cursor upTo, boolean oldestFirst, int limit) {
        if (key != null && FilterKeys.isPrefix(key)) {
            List<String> types = jdbc.sql("""
                    SELECT DISTINCT counter_key FROM notification_keys
                    WHERE user_id = :user AND counter_key >= :from AND counter_key < :to""")
                    .param("user", userId)
                    .param("from", FilterKeys.rangeStart(key))
                    .param("to", FilterKeys.rangeEnd(key))
                    .query(String.class)
                    .list();
            Comparator<InboxMerge.Candidate<InboxItem>> order = Comparator.comparingLong(InboxMerge.Candidate::offset);
            return types.stream()
                    .flatMap(type -> page(userId, type, status, muted, afterOffset, beforeOffset, upTo, oldestFirst, limit).stream())
                    .sorted(oldestFirst ? order : order.reversed())
                    .limit(limit)
                    .toList();
        }
        String k = key == null ? "" : "k.";
        String sql = (key == null ? COLUMNS + " WHERE user_id = :user"
                : KEYED_COLUMNS + " WHERE k.user_id = :user AND k.counter_key = :key")
                + " AND " + k + "kafka_partition = :partition AND " + k + "kafka_offset > :after"
                + " AND " + k + "kafka_offset < :before AND " + k + "kafka_offset <= :upTo"
                + status.condition() + muted.condition() + NOT_EXPIRED
                + " ORDER BY " + k + "kafka_offset " + (oldestFirst ? "ASC" : "DESC") + " LIMIT :limit";
        return jdbc.sql(sql)
                .param("user", userId)
                .param("key", key == null ? "" : key)
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

    /**
     * The unread and unseen counts of the user's notifications under each of {@code keys} (absent: 0):
     * {@code inbox_counts} (an exact key's counter, or the sum of the counters in a prefix's range),
     * less the user's expired rows not deleted yet, exactly as {@link #unreadCount} finds the whole
     * count (the retention job takes deleted rows off both in one transaction). The first is one
     * look-up of the user's counters under those keys and ranges; the second the same one range of
     * {@code notification_expiries}' key, grouped by type and tags.
     */
    Map<String, int[]> keyCounts(String userId, Collection<String> keys) {
        Map<String, int[]> counts = new HashMap<>();
        if (keys.isEmpty()) {
            return counts;
        }
        List<String> exact = keys.stream().filter(key -> !FilterKeys.isPrefix(key)).toList();
        List<String> prefixes = keys.stream().filter(FilterKeys::isPrefix).toList();
        List<String> which = new ArrayList<>();
        Map<String, Object> params = new HashMap<>(Map.of("user", userId));
        if (!exact.isEmpty()) {
            which.add("counter_key IN (:exact)");
            params.put("exact", exact);
        }
        for (int i = 0; i < prefixes.size(); i++) {
            which.add("(counter_key >= :from" + i + " AND counter_key < :to" + i + ")");
            params.put("from" + i, FilterKeys.rangeStart(prefixes.get(i)));
            params.put("to" + i, FilterKeys.rangeEnd(prefixes.get(i)));
        }
        jdbc.sql("SELECT counter_key, unread, unseen FROM inbox_counts WHERE user_id = :user AND (" + String.join(" OR ", which) + ")")
                .params(params)
                .query(rs -> {
                    for (String key : keys) {
                        if (FilterKeys.covers(key, rs.getString(1))) {
                            int[] count = counts.computeIfAbsent(key, k -> new int[2]);
                            count[0] += rs.getInt(2);
                            count[1] += rs.getInt(3);
                        }
                    }
                });
        jdbc.sql("""
                SELECT n.type, n.tags, SUM(CASE WHEN n.read_at_ms IS NULL THEN 1 ELSE 0 END),
                       SUM(CASE WHEN n.seen_at_ms IS NULL THEN 1 ELSE 0 END)
                FROM notification_expiries e JOIN notifications n ON n.id = e.notification_id
                WHERE e.user_id = :user AND e.expires_at_ms <= :now AND n.archived_at_ms IS NULL AND n.muted = 0
                GROUP BY n.type, n.tags""")
                .param("user", userId)
                .param("now", clock.millis())
                .query(rs -> {
                    for (String key : FilterKeys.matching(rs.getString(1), FilterKeys.tagsOf(rs.getString(2)))) {
                        int[] count = counts.get(key);
                        if (count != null) {
                            count[0] = Math.max(0, count[0] - rs.getInt(3));
                            count[1] = Math.max(0, count[1] - rs.getInt(4));
                        }
                    }
                });
        return counts;
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
                expiresAt(rs),
                FilterKeys.tagsOf(rs.getString("tags")));
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
