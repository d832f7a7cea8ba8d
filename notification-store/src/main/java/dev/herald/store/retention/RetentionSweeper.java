package dev.herald.store.retention;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

import dev.herald.store.filters.FilterKeys;
import dev.herald.store.ingest.FilterCounts;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes what the store no longer keeps, one batch of at most {@code batchSize} rows per short
 * transaction, and takes the unread (and unseen) ones off {@code unread_counts} in the same transaction: so a
 * reader's snapshot sees each unread row either still there or already off the count, never both
 * or neither, and the unread count stays exact (lists and counts leave expired rows out until
 * then, see the inbox package).
 *
 * <p>The InboxWriter changes the same rows and counts. Each batch first picks its rows without
 * locks, then locks them by primary key ({@code FOR UPDATE}) and reads their read state as
 * committed, so a mark-read that got there first is seen (no second decrement) and one that comes
 * later finds the row gone (no decrement at all). Batches run at READ COMMITTED: InnoDB then takes
 * no gap locks, so the writer's inserts never wait on a sweep. Counts are updated in user order,
 * as the writer does, so the two cannot wait on each other in a cycle over {@code unread_counts}.
 *
 * <p>Public so that integration tests can run a sweep with limits of their own against the real
 * database; the store runs it from {@link RetentionJob}.
 */
public class RetentionSweeper {

    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final int batchSize;
    /** The user after which the next max-items pass goes on (the walk wraps around). */
    private String lastUserTrimmed = "";

    public RetentionSweeper(NamedParameterJdbcTemplate named, PlatformTransactionManager transactionManager, Clock clock,
            int batchSize) {
        this.named = named;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /**
     * One batch of users' own notifications that expired: the oldest expiries first, one range of
     * {@code ix_notification_expiries_at}.
     *
     * @return how many were deleted (fewer than the batch size: nothing more to do now)
     */
    public int expiredNotifications() {
        return inTransaction(() -> {
            List<Object[]> keys = named.query("""
                    SELECT user_id, expires_at_ms, notification_id FROM notification_expiries WHERE expires_at_ms <= :now
                    ORDER BY expires_at_ms LIMIT :limit""", Map.of("now", clock.millis(), "limit", batchSize),
                    (rs, row) -> new Object[] { rs.getString(1), rs.getLong(2), rs.getLong(3) });
            int deleted = deleteNotifications(keys.stream().map(key -> (Long) key[2]).toList());
            if (deleted < keys.size()) {
                // A row whose notification is gone (deleted by hand) must not stay at the head of the range.
                named.update("DELETE FROM notification_expiries WHERE (user_id, expires_at_ms, notification_id) IN (:keys)",
                        Map.of("keys", keys));
            }
            return deleted;
        });
    }

    /**
     * One batch of inbox-channel (and other channel) messages that expired. Their read state
     * ({@code channel_reads}) counts only against messages that exist, so it needs no change.
     */
    public int expiredChannelMessages() {
        return inTransaction(() -> {
            List<Long> ids = named.queryForList("""
                    SELECT id FROM channel_messages WHERE expires_at_ms <= :now ORDER BY expires_at_ms LIMIT :limit""",
                    Map.of("now", clock.millis(), "limit", batchSize), Long.class);
            if (ids.isEmpty()) {
                return 0;
            }
            List<Long> locked = named.queryForList("SELECT id FROM channel_messages WHERE id IN (:ids) FOR UPDATE",
                    Map.of("ids", ids), Long.class);
            return locked.isEmpty() ? 0 : named.update("DELETE FROM channel_messages WHERE id IN (:ids)", Map.of("ids", locked));
        });
    }

    /**
     * One batch of users' own notifications accepted before {@code now - maxAge}. Rows are taken
     * in the order they were stored (the primary key), so a batch reads the oldest rows of the
     * table and no index on acceptance time is kept for it: a row stored out of acceptance order (a
     * replay) goes once the rows stored before it are gone.
     */
    public int olderThan(Duration maxAge) {
        long cutoff = clock.millis() - maxAge.toMillis();
        return inTransaction(() -> {
            List<Long> ids = new ArrayList<>();
            named.query("SELECT id, accepted_at_ms FROM notifications ORDER BY id LIMIT :limit", Map.of("limit", batchSize),
                    rs -> {
                        if (rs.getLong(2) < cutoff) {
                            ids.add(rs.getLong(1));
                        }
                    });
            return deleteNotifications(ids);
        });
    }

    /**
     * For up to a batch of users (walking {@code unread_counts}, which has a row for every user
     * with notifications, on from where the last call stopped), deletes all but the newest
     * {@code maxItems} of each one's notifications, at most a batch of rows per transaction. Each
     * user costs one probe of {@code ix_notifications_user_offset} of {@code maxItems} entries.
     *
     * @return how many notifications were deleted
     */
    public int overMaxItems(int maxItems) {
        List<String> users = named.queryForList(
                "SELECT user_id FROM unread_counts WHERE user_id > :after ORDER BY user_id LIMIT :limit",
                Map.of("after", lastUserTrimmed, "limit", batchSize), String.class);
        lastUserTrimmed = users.size() < batchSize ? "" : users.get(users.size() - 1);
        int deleted = 0;
        for (String user : users) {
            List<Long> keepFrom = named.queryForList("""
                    SELECT kafka_offset FROM notifications WHERE user_id = :user
                    ORDER BY kafka_offset DESC LIMIT 1 OFFSET :keep""", Map.of("user", user, "keep", maxItems), Long.class);
            if (keepFrom.isEmpty()) {
                continue;
            }
            int batch;
            do {
                batch = inTransaction(() -> deleteNotifications(named.queryForList("""
                        SELECT id FROM notifications WHERE user_id = :user AND kafka_offset <= :upTo
                        ORDER BY kafka_offset LIMIT :limit""",
                        Map.of("user", user, "upTo", keepFrom.get(0), "limit", batchSize), Long.class)));
                deleted += batch;
            }
            while (batch == batchSize);
        }
        return deleted;
    }

    /**
     * Locks the rows, deletes them with their {@code notification_expiries} and {@code notification_keys}
     * rows, and takes what they held off their users' counts: unread and unseen, for rows the counts
     * hold (neither archived nor muted, as the InboxWriter counts them), off unread_counts and off
     * the per-filter counters of their type and tags alike (V10).
     */
    private int deleteNotifications(List<Long> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        List<Long> locked = new ArrayList<>(ids.size());
        List<Object[]> expiries = new ArrayList<>();
        Map<String, int[]> counted = new TreeMap<>();
        FilterCounts filterCounts = new FilterCounts();
        List<Object[]> keys = new ArrayList<>();
        named.query("""
                SELECT id, user_id, read_at_ms, seen_at_ms, archived_at_ms, muted, expires_at_ms, type, tags,
                       kafka_partition, kafka_offset
                FROM notifications WHERE id IN (:ids) FOR UPDATE""",
                Map.of("ids", ids), rs -> {
                    locked.add(rs.getLong(1));
                    boolean unread = rs.getObject(3) == null;
                    boolean unseen = rs.getObject(4) == null;
                    List<String> tags = FilterKeys.tagsOf(rs.getString(9));
                    if (rs.getObject(5) == null && rs.getInt(6) == 0 && (unread || unseen)) {
                        int[] held = counted.computeIfAbsent(rs.getString(2), user -> new int[2]);
                        held[0] += unread ? 1 : 0;
                        held[1] += unseen ? 1 : 0;
                        filterCounts.add(rs.getString(2), rs.getString(8), tags, unread ? -1 : 0, unseen ? -1 : 0);
                    }
                    for (String key : FilterKeys.stored(rs.getString(8), tags)) {
                        keys.add(new Object[] { rs.getString(2), key, rs.getInt(10), rs.getLong(11) });
                    }
                    long expiresAt = rs.getLong(7);
                    if (!rs.wasNull()) {
                        expiries.add(new Object[] { rs.getString(2), expiresAt, rs.getLong(1) });
                    }
                });
        if (locked.isEmpty()) {
            return 0;
        }
        if (!expiries.isEmpty()) {
            named.update("DELETE FROM notification_expiries WHERE (user_id, expires_at_ms, notification_id) IN (:keys)",
                    Map.of("keys", expiries));
        }
        named.update("""
                DELETE FROM notification_keys WHERE (user_id, counter_key, kafka_partition, kafka_offset) IN (:keys)""",
                Map.of("keys", keys));
        int deleted = named.update("DELETE FROM notifications WHERE id IN (:ids)", Map.of("ids", locked));
        if (!counted.isEmpty()) {
            named.getJdbcOperations().batchUpdate("""
                    UPDATE unread_counts SET unread = GREATEST(0, unread - ?), unseen = GREATEST(0, unseen - ?)
                    WHERE user_id = ?""",
                    counted.entrySet().stream().map(e -> new Object[] { e.getValue()[0], e.getValue()[1], e.getKey() }).toList());
            filterCounts.write(named.getJdbcTemplate(), named);
        }
        return deleted;
    }

    private int inTransaction(IntSupplier work) {
        Integer done = transactions.execute(status -> work.getAsInt());
        return done == null ? 0 : done;
    }
}
