package dev.herald.store.ingest;

import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.herald.store.filters.FilterKeys;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The per-filter counters of one batch (issue 17 item 2): every change {@link InboxWriter} makes to
 * a user's unread and unseen counts, broken down by the (type, tags) of the rows it changed and so
 * by filter key ({@link FilterKeys}), then written to {@code inbox_counts} in the batch's
 * transaction. The user's whole count and these counters are moved by the same rows, counted by one
 * query, so they cannot drift apart. Public for the retention job, which takes deleted rows off
 * them as it takes them off unread_counts.
 */
public final class FilterCounts {

    /** Per user, then per key, in one order, so that writers never wait on each other in a cycle. */
    private final Map<String, Map<String, int[]>> deltas = new TreeMap<>();

    /** {@code unread} and {@code unseen} rows of the user's of this type and tags changed by that much. */
    public void add(String userId, String type, List<String> tags, int unread, int unseen) {
        if (unread == 0 && unseen == 0) {
            return;
        }
        Map<String, int[]> keys = deltas.computeIfAbsent(userId, user -> new TreeMap<>());
        for (String key : FilterKeys.stored(type, tags)) {
            int[] delta = keys.computeIfAbsent(key, k -> new int[2]);
            delta[0] += unread;
            delta[1] += unseen;
        }
    }

    /**
     * One batched update of the counters, then one batched insert of those the update did not find
     * (as {@code InboxWriter.adjustCounts} does for unread_counts, for the same reasons).
     */
    public void write(JdbcTemplate jdbc, NamedParameterJdbcTemplate named) {
        List<Object[]> rows = new ArrayList<>();
        deltas.forEach((user, keys) -> keys.forEach((key, delta) -> {
            if (delta[0] != 0 || delta[1] != 0) {
                rows.add(new Object[] { delta[0], delta[1], user, key });
            }
        }));
        if (rows.isEmpty()) {
            return;
        }
        int[] updated = jdbc.batchUpdate("""
                UPDATE inbox_counts SET unread = GREATEST(0, unread + ?), unseen = GREATEST(0, unseen + ?)
                WHERE user_id = ? AND counter_key = ?""", rows);
        List<Object[]> unknown = new ArrayList<>();
        List<Object[]> missing = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (updated[i] == Statement.SUCCESS_NO_INFO) {
                unknown.add(rows.get(i));
            }
            else if (updated[i] == 0) {
                missing.add(rows.get(i));
            }
        }
        if (!unknown.isEmpty()) {
            Set<List<Object>> counted = new HashSet<>();
            named.query("SELECT user_id, counter_key FROM inbox_counts WHERE (user_id, counter_key) IN (:keys)",
                    Map.of("keys", unknown.stream().map(row -> new Object[] { row[2], row[3] }).toList()),
                    rs -> {
                        counted.add(List.of(rs.getString(1), rs.getString(2)));
                    });
            unknown.stream().filter(row -> !counted.contains(List.of(row[2], row[3]))).forEach(missing::add);
        }
        if (!missing.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO inbox_counts (user_id, counter_key, unread, unseen) VALUES (?, ?, ?, ?)",
                    missing.stream().map(row -> new Object[] { row[2], row[3], Math.max(0, (int) row[0]),
                            Math.max(0, (int) row[1]) }).toList());
        }
    }
}
