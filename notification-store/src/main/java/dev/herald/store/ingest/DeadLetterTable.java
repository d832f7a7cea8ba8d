package dev.herald.store.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where a topic's writer records the dead letters of a batch, in the batch's transaction, with the
 * columns of {@code dead_letters} (V3); its {@link DeadLetterOutbox} forwards them after the commit.
 */
final class DeadLetterTable {

    private final String insert;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    DeadLetterTable(String table, JdbcTemplate jdbc, Clock clock) {
        this.insert = "INSERT INTO " + table + " (kafka_partition, kafka_offset, record_key, record_value, reason, created_at_ms)\n"
                + "VALUES (?, ?, ?, ?, ?, ?)";
        this.jdbc = jdbc;
        this.clock = clock;
    }

    void record(List<DeadLetter> rows) {
        if (rows.isEmpty()) {
            return;
        }
        long now = clock.millis();
        jdbc.batchUpdate(insert, rows, rows.size(), (ps, row) -> {
            ps.setInt(1, row.partition());
            ps.setLong(2, row.offset());
            ps.setBytes(3, row.key() == null ? null : row.key().getBytes(StandardCharsets.UTF_8));
            ps.setBytes(4, row.value());
            ps.setString(5, row.reason());
            ps.setLong(6, now);
        });
    }
}
