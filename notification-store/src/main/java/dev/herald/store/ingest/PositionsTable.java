package dev.herald.store.ingest;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.SingleColumnRowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * A topic's applied positions: one row per partition, {@code (kafka_partition, applied_offset)}, the
 * offset of the last record the store applied there (V1's {@code applied_positions}, V4's
 * {@code channel_positions}). Its writer moves a row only in the transaction that applies the
 * records up to it, so every record at or below a partition's position is committed, and a record
 * at or below it is never applied again.
 */
final class PositionsTable {

    private final String table;
    private final NamedParameterJdbcTemplate named;

    PositionsTable(String table, NamedParameterJdbcTemplate named) {
        this.table = table;
        this.named = named;
    }

    /** The committed position of {@code partition}; -1 when nothing was applied there yet. */
    long read(int partition) {
        List<Long> offsets = named.query("SELECT applied_offset FROM " + table + " WHERE kafka_partition = :p",
                Map.of("p", partition), SingleColumnRowMapper.newInstance(Long.class));
        return DataAccessUtils.optionalResult(offsets).orElse(-1L);
    }

    /**
     * Reads and locks the positions of {@code partitions} until the transaction ends, so that one
     * batch at a time applies records of a partition. Call it within the writer's transaction.
     */
    Locked lock(Collection<Integer> partitions) {
        Map<Integer, Long> applied = new HashMap<>();
        if (!partitions.isEmpty()) {
            named.query("SELECT kafka_partition, applied_offset FROM " + table + " WHERE kafka_partition IN (:p) FOR UPDATE",
                    Map.of("p", partitions), rs -> {
                        applied.put(rs.getInt(1), rs.getLong(2));
                    });
        }
        return new Locked(applied);
    }

    /** The positions of a batch's partitions as its transaction found them. */
    final class Locked {

        private final Map<Integer, Long> applied;

        private Locked(Map<Integer, Long> applied) {
            this.applied = applied;
        }

        /** Those of {@code records} above their partition's position: the rest were applied (or dead-lettered) already. */
        <R extends Positioned> List<R> fresh(List<R> records) {
            return records.stream().filter(r -> r.offset() > applied.getOrDefault(r.partition(), -1L)).toList();
        }

        /** Moves each partition's position to its batch end, never back. */
        void moveTo(Map<Integer, Long> batchEnds) {
            batchEnds.forEach((partition, end) -> {
                if (end > applied.getOrDefault(partition, -1L)) {
                    save(partition, end, applied.containsKey(partition));
                }
            });
        }

        private void save(int partition, long offset, boolean exists) {
            if (exists) {
                named.getJdbcOperations().update("UPDATE " + table + " SET applied_offset = ? WHERE kafka_partition = ?",
                        offset, partition);
            }
            else {
                named.getJdbcOperations().update("INSERT INTO " + table + " (kafka_partition, applied_offset) VALUES (?, ?)",
                        partition, offset);
            }
        }
    }
}
