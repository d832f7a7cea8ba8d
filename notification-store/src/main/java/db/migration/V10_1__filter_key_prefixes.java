package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import dev.herald.store.filters.FilterKeys;

/**
 * The type-prefix keys ({@code type:order.*}) and their counters for the notifications stored
 * before V10, which V10 gave their exact type only: one pass over the rows whose type has a '.',
 * in (user, position) order, with the keys inserted in batches and the counters (unread and unseen, counted as
 * unread_counts counts them: neither archived nor muted) inserted at the end. On MySQL 8, MariaDB
 * 10.11 and H2 alike, which SQL alone is not (splitting a type at each '.').
 */
public class V10_1__filter_key_prefixes extends BaseJavaMigration {

    private static final int BATCH = 1000;

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        Map<List<String>, int[]> counts = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
        try (Statement select = connection.createStatement();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO notification_keys (user_id, counter_key, kafka_partition, kafka_offset) VALUES (?, ?, ?, ?)")) {
            select.setFetchSize(BATCH);
            int pending = 0;
            try (ResultSet rs = select.executeQuery("""
                    SELECT user_id, type, kafka_partition, kafka_offset, read_at_ms, seen_at_ms, archived_at_ms, muted
                    FROM notifications WHERE type LIKE '%.%' ORDER BY user_id, kafka_partition, kafka_offset""")) {
                List<Object> previous = null;
                while (rs.next()) {
                    String user = rs.getString(1);
                    // A key row names a position: one per (user, partition, offset), as V10 inserts them.
                    List<Object> position = List.of(user, rs.getInt(3), rs.getLong(4));
                    boolean newPosition = !position.equals(previous);
                    previous = position;
                    boolean unread = rs.getObject(5) == null;
                    boolean unseen = rs.getObject(6) == null;
                    boolean counted = rs.getObject(7) == null && rs.getInt(8) == 0;
                    for (String key : FilterKeys.of(rs.getString(2), List.of())) {
                        if (!key.endsWith(".*")) {
                            continue;
                        }
                        if (newPosition) {
                            insert.setString(1, user);
                            insert.setString(2, key);
                            insert.setInt(3, rs.getInt(3));
                            insert.setLong(4, rs.getLong(4));
                            insert.addBatch();
                            if (++pending == BATCH) {
                                insert.executeBatch();
                                pending = 0;
                            }
                        }
                        int[] count = counts.computeIfAbsent(List.of(user, key), k -> new int[2]);
                        count[0] += counted && unread ? 1 : 0;
                        count[1] += counted && unseen ? 1 : 0;
                    }
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO inbox_counts (user_id, counter_key, unread, unseen) VALUES (?, ?, ?, ?)")) {
            int pending = 0;
            for (Map.Entry<List<String>, int[]> count : counts.entrySet()) {
                insert.setString(1, count.getKey().get(0));
                insert.setString(2, count.getKey().get(1));
                insert.setInt(3, count.getValue()[0]);
                insert.setInt(4, count.getValue()[1]);
                insert.addBatch();
                if (++pending == BATCH) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }
}
