package dev.herald.store.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.Topics;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * A topic's dead-letter outbox: forwards the dead letters that its writer recorded in a table to the
 * topic's DLT, unchanged, with the reason and the record's origin in headers, and deletes each row
 * once Kafka acknowledged it. {@link DeadLetters} is that of {@code herald.user-events} (table
 * {@code dead_letters}, written by {@link InboxWriter}), {@link ChannelDeadLetters} that of
 * {@code herald.channel-events} (table {@code channel_dead_letters}, written by {@link ChannelWriter}).
 * Nothing accepted is lost: a row stays until the DLT has it.
 *
 * <p>Each record is dead-lettered once per (partition, offset): its row is written in the transaction
 * that moves the partition's applied position past it, so a batch that is retried (the database
 * down) or read again (redelivered) records nothing new; and rows are forwarded only after that
 * commit, so a database that is down sends nothing. One window remains: when the store stops (or the
 * delete fails) after the DLT acknowledged a record and before its row is deleted, the record is sent
 * again when the row is next forwarded; so is a record the DLT acknowledged only after the wait
 * below gave up, and one whose row and position a database lost with its last commits (then the
 * record is read and recorded again). Its headers (source partition and offset) identify a repeat.
 *
 * <p>A partition's rows are forwarded only by the consumer thread that owns the partition, so no two
 * threads send the same row: after each of its batches that may have left rows, and, while rows
 * remain because the DLT could not be reached, again when the partition next gets a batch or is
 * idle ({@code spring.kafka.listener.idle-partition-event-interval}), at most every
 * {@link #RETRY_INTERVAL}.
 */
abstract class DeadLetterOutbox {

    static final Duration RETRY_INTERVAL = Duration.ofSeconds(10);

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final int ROWS_PER_ROUND = 20;

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String table;
    private final String deadLetterTopic;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Counter sent;
    /** Partitions that may have rows, with the earliest time (epoch ms) to try them again. */
    private final Map<Integer, Long> pending = new ConcurrentHashMap<>();

    /**
     * @param table where the writer records the topic's dead letters, with the columns of {@code dead_letters} (V3)
     * @param deadLetterTopic where they go
     * @param sent counts the records {@code deadLetterTopic} acknowledged
     */
    DeadLetterOutbox(String table, String deadLetterTopic, Counter sent, KafkaTemplate<String, byte[]> kafka,
            JdbcTemplate jdbc, Clock clock) {
        this.table = table;
        this.deadLetterTopic = deadLetterTopic;
        this.sent = sent;
        this.kafka = kafka;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** These partitions may have rows: they were just assigned, or a batch recorded some. */
    void mayHaveRows(Collection<Integer> partitions) {
        partitions.forEach(partition -> pending.putIfAbsent(partition, 0L));
    }

    /**
     * Forwards the rows of those of {@code partitions} that may have some and are due. Never throws:
     * what it could not forward stays for a later call. Call it only on the thread that consumes
     * these partitions, after the transaction that recorded their rows.
     */
    void forward(Collection<Integer> partitions) {
        boolean reachable = true;
        for (int partition : partitions) {
            Long due = pending.get(partition);
            if (due == null || due > clock.millis()) {
                continue;
            }
            if (reachable) {
                reachable = forwardAll(partition);
            }
            if (!reachable) {
                // The DLT (or the database) failed just now: try later, rather than block this consumer once per partition.
                pending.put(partition, clock.millis() + RETRY_INTERVAL.toMillis());
            }
        }
    }

    /** True when every row of the partition was forwarded and deleted. */
    private boolean forwardAll(int partition) {
        try {
            while (true) {
                List<Row> rows = jdbc.query("SELECT kafka_offset, record_key, record_value, reason FROM " + table
                        + " WHERE kafka_partition = ? ORDER BY kafka_offset LIMIT ?",
                        (rs, i) -> new Row(partition, rs.getLong(1), rs.getBytes(2), rs.getBytes(3), rs.getString(4)),
                        partition, ROWS_PER_ROUND);
                if (rows.isEmpty()) {
                    pending.remove(partition);
                    return true;
                }
                List<Row> acknowledged = send(rows);
                if (!acknowledged.isEmpty()) {
                    jdbc.batchUpdate("DELETE FROM " + table + " WHERE kafka_partition = ? AND kafka_offset = ?",
                            acknowledged.stream().map(row -> new Object[] { row.partition(), row.offset() }).toList());
                    acknowledged.forEach(this::forwarded);
                }
                if (acknowledged.size() < rows.size()) {
                    return false;
                }
            }
        }
        catch (DataAccessException ex) {
            log.warn("Could not read or delete the dead letters of partition {} ({}); they are forwarded later",
                    partition, ex.getMessage());
            return false;
        }
    }

    /** Sends the rows in order and returns those the DLT acknowledged within {@link #SEND_TIMEOUT}. */
    private List<Row> send(List<Row> rows) {
        List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>();
        try {
            for (Row row : rows) {
                sends.add(kafka.send(row.toRecord(deadLetterTopic)));
            }
        }
        catch (RuntimeException ex) {
            // The producer cannot even take it (no metadata within max.block.ms): the rest would wait as long.
            log.warn("Could not send dead letters of partition {} to {} ({}); they are forwarded later",
                    rows.get(0).partition(), deadLetterTopic, NestedExceptionUtils.getMostSpecificCause(ex).getMessage());
        }
        long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
        List<Row> acknowledged = new ArrayList<>();
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acknowledged.add(rows.get(i));
            }
            catch (ExecutionException | TimeoutException ex) {
                log.warn("The dead letter {}-{} did not reach {} ({}); it is forwarded later", rows.get(i).partition(),
                        rows.get(i).offset(), deadLetterTopic, NestedExceptionUtils.getMostSpecificCause(ex));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return acknowledged;
    }

    private void forwarded(Row row) {
        sent.increment();
        String eventId = row.value() == null ? "unknown" : EnvelopeCodec.eventIdOf(row.value()).orElse("unknown");
        try (var ignored = MDC.putCloseable("eventId", eventId)) {
            log.warn("Record {}-{} (eventId {}) sent to {}: {}", row.partition(), row.offset(), eventId,
                    deadLetterTopic, row.reason());
        }
    }

    /** A row of the outbox table. */
    private record Row(int partition, long offset, byte[] key, byte[] value, String reason) {

        ProducerRecord<String, byte[]> toRecord(String deadLetterTopic) {
            ProducerRecord<String, byte[]> dead = new ProducerRecord<>(deadLetterTopic,
                    key == null ? null : new String(key, StandardCharsets.UTF_8), value);
            dead.headers()
                    .add(Topics.DLT_REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8))
                    .add(Topics.DLT_SOURCE_PARTITION_HEADER, Integer.toString(partition).getBytes(StandardCharsets.UTF_8))
                    .add(Topics.DLT_SOURCE_OFFSET_HEADER, Long.toString(offset).getBytes(StandardCharsets.UTF_8));
            return dead;
        }
    }
}
