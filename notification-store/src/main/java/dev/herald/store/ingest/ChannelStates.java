package dev.herald.store.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.herald.schema.ArchiveScope;
import dev.herald.store.system.StoreProperties;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The seen and archived state of a user's inbox-channel messages (V6), written by
 * {@link InboxWriter} from the user's seen, seen_all, archive, unarchive and archive_all events in
 * the transaction that applies them, as {@link ChannelReads} writes the read state. Seen is kept as
 * read is, without a row per user per message: a row per message seen one by one
 * ({@code channel_seen}) and seen-all's mark per channel ({@code channel_seen_marks}). Archived is a
 * row per archived message ({@code channel_archives}); unarchiving deletes it. The counts (the
 * inbox package's ChannelInbox) leave archived messages out, so the state stays each user's own and
 * the counts exact.
 */
final class ChannelStates {

    private final NamedParameterJdbcTemplate named;
    private final Clock clock;
    private final List<String> inboxChannels;
    private final Duration window;

    ChannelStates(NamedParameterJdbcTemplate named, Clock clock, StoreProperties properties) {
        this.named = named;
        this.clock = clock;
        this.inboxChannels = properties.inboxChannels();
        this.window = properties.inboxChannelWindow();
    }

    /**
     * Marks the messages of {@code channel} with these eventIds seen for the user. As for reads, a
     * message the store does not hold, or that seen-all covers already, gets no row.
     */
    void markSeen(String userId, String channel, List<String> eventIds, long atMs) {
        long mark = seenMark(userId, channel);
        Set<Long> unseen = new HashSet<>();
        offsets(channel, eventIds).stream().filter(offset -> offset > mark).forEach(unseen::add);
        if (unseen.isEmpty()) {
            return;
        }
        unseen.removeAll(named.queryForList("""
                SELECT kafka_offset FROM channel_seen
                WHERE user_id = :user AND channel = :channel AND kafka_offset IN (:offsets)""",
                Map.of("user", userId, "channel", channel, "offsets", unseen), Long.class));
        insert("channel_seen", "seen_at_ms", userId, channel, unseen, atMs);
    }

    /**
     * Seen-all covers, in each inbox channel, every message the store holds when it applies the
     * event, as read-all does (see {@link ChannelReads#markAllRead}). The mark only rises.
     */
    void markAllSeen(String userId, long atMs) {
        for (String channel : inboxChannels) {
            Long newest = named.queryForObject("SELECT MAX(kafka_offset) FROM channel_messages WHERE channel = :channel",
                    Map.of("channel", channel), Long.class);
            if (newest == null) {
                continue;
            }
            long mark = seenMark(userId, channel);
            Map<String, Object> row = Map.of("user", userId, "channel", channel, "upTo", newest, "at", atMs);
            if (mark == -1) {
                named.update("""
                        INSERT INTO channel_seen_marks (user_id, channel, seen_up_to, seen_at_ms)
                        VALUES (:user, :channel, :upTo, :at)""", row);
            }
            else if (newest > mark) {
                named.update("""
                        UPDATE channel_seen_marks SET seen_up_to = :upTo, seen_at_ms = :at
                        WHERE user_id = :user AND channel = :channel""", row);
            }
        }
    }

    /** Archives the messages of {@code channel} with these eventIds for the user. */
    void archive(String userId, String channel, List<String> eventIds, long atMs) {
        Set<Long> offsets = new HashSet<>(offsets(channel, eventIds));
        if (offsets.isEmpty()) {
            return;
        }
        offsets.removeAll(named.queryForList("""
                SELECT kafka_offset FROM channel_archives
                WHERE user_id = :user AND channel = :channel AND kafka_offset IN (:offsets)""",
                Map.of("user", userId, "channel", channel, "offsets", offsets), Long.class));
        insert("channel_archives", "archived_at_ms", userId, channel, offsets, atMs);
    }

    /** Takes the messages of {@code channel} with these eventIds out of the user's archive. */
    void unarchive(String userId, String channel, List<String> eventIds) {
        List<Long> offsets = offsets(channel, eventIds);
        if (!offsets.isEmpty()) {
            named.update("DELETE FROM channel_archives WHERE user_id = :user AND channel = :channel AND kafka_offset IN (:offsets)",
                    Map.of("user", userId, "channel", channel, "offsets", offsets));
        }
    }

    /**
     * Archive-all covers, in each inbox channel, the messages of the inbox window that the store
     * holds when it applies the event (only the read ones for {@link ArchiveScope#READ}): one row
     * per message, so at most the channel's messages within the window, written by one
     * {@code INSERT … SELECT}. Messages older than the window are in no inbox and need none.
     */
    void archiveAll(String userId, ArchiveScope scope, long atMs) {
        String onlyRead = scope != ArchiveScope.READ ? "" : """
                 AND (m.kafka_offset <= COALESCE((SELECT k.read_up_to FROM channel_read_marks k
                                                  WHERE k.user_id = :user AND k.channel = :channel), -1)
                      OR EXISTS (SELECT 1 FROM channel_reads r
                                 WHERE r.user_id = :user AND r.channel = :channel AND r.kafka_offset = m.kafka_offset))""";
        for (String channel : inboxChannels) {
            named.update("""
                    INSERT INTO channel_archives (user_id, channel, kafka_offset, archived_at_ms)
                    SELECT :user, m.channel, m.kafka_offset, :at FROM channel_messages m
                    WHERE m.channel = :channel
                      AND m.kafka_offset >= (SELECT MIN(w.kafka_offset) FROM channel_messages w
                                             WHERE w.channel = :channel AND w.accepted_at_ms >= :since)
                      AND NOT EXISTS (SELECT 1 FROM channel_archives a
                                      WHERE a.user_id = :user AND a.channel = :channel AND a.kafka_offset = m.kafka_offset)"""
                    + onlyRead, Map.of("user", userId, "channel", channel, "at", atMs,
                            "since", clock.millis() - window.toMillis()));
        }
    }

    /** The offsets of the channel's messages with these eventIds (from any source). */
    private List<Long> offsets(String channel, List<String> eventIds) {
        return named.queryForList("SELECT kafka_offset FROM channel_messages WHERE channel = :channel AND event_id IN (:ids)",
                Map.of("channel", channel, "ids", eventIds), Long.class);
    }

    private void insert(String table, String atColumn, String userId, String channel, Set<Long> offsets, long atMs) {
        if (offsets.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        for (long offset : offsets) {
            rows.add(new Object[] { userId, channel, offset, atMs });
        }
        named.getJdbcOperations().batchUpdate(
                "INSERT INTO " + table + " (user_id, channel, kafka_offset, " + atColumn + ") VALUES (?, ?, ?, ?)", rows);
    }

    /** The offset up to which seen-all covered the channel for the user; -1 when never. */
    private long seenMark(String userId, String channel) {
        List<Long> marks = named.queryForList(
                "SELECT seen_up_to FROM channel_seen_marks WHERE user_id = :user AND channel = :channel",
                Map.of("user", userId, "channel", channel), Long.class);
        return marks.isEmpty() ? -1 : marks.get(0);
    }
}
