package dev.herald.store.ingest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The read state of a user's inbox-channel messages (V5), written by {@link InboxWriter} from the
 * user's read and read_all events in the transaction that applies them. No row per user per
 * message: a row per message the user marked read one by one ({@code channel_reads}) and a row per
 * channel for read-all ({@code channel_read_marks}). The unread count subtracts these from the
 * channel's messages (see the inbox package's ChannelInbox).
 */
final class ChannelReads {

    private final NamedParameterJdbcTemplate named;
    private final List<String> inboxChannels;

    ChannelReads(NamedParameterJdbcTemplate named, List<String> inboxChannels) {
        this.named = named;
        this.inboxChannels = inboxChannels;
    }

    /**
     * Marks the messages of {@code channel} with these eventIds read for the user (from any source,
     * as a read of the user's own notifications marks every one with the id). A message the store
     * does not hold, or that a read-all covers already, gets no row: the rows are exactly the
     * messages above the user's mark that the user read, which is what the count subtracts.
     */
    void markRead(String userId, String channel, List<String> eventIds, long atMs) {
        List<Long> offsets = named.queryForList(
                "SELECT kafka_offset FROM channel_messages WHERE channel = :channel AND event_id IN (:ids)",
                Map.of("channel", channel, "ids", eventIds), Long.class);
        long mark = mark(userId, channel);
        Set<Long> unread = new HashSet<>();
        offsets.stream().filter(offset -> offset > mark).forEach(unread::add);
        if (unread.isEmpty()) {
            return;
        }
        Map<String, Object> key = Map.of("user", userId, "channel", channel, "offsets", unread);
        unread.removeAll(named.queryForList("""
                SELECT kafka_offset FROM channel_reads
                WHERE user_id = :user AND channel = :channel AND kafka_offset IN (:offsets)""", key, Long.class));
        List<Object[]> rows = new ArrayList<>();
        for (long offset : unread) {
            rows.add(new Object[] { userId, channel, offset, atMs });
        }
        named.getJdbcOperations().batchUpdate(
                "INSERT INTO channel_reads (user_id, channel, kafka_offset, read_at_ms) VALUES (?, ?, ?, ?)", rows);
    }

    /**
     * Read-all covers, in each inbox channel, every message the store holds when it applies the
     * event: the channel's messages come through another stream, so there is no position of the
     * user's stream to compare them with; what the store holds then is what the user could have
     * seen (and at most the few accepted between the click and its applying). The mark only rises.
     */
    void markAllRead(String userId, long atMs) {
        for (String channel : inboxChannels) {
            Long newest = named.queryForObject("SELECT MAX(kafka_offset) FROM channel_messages WHERE channel = :channel",
                    Map.of("channel", channel), Long.class);
            if (newest == null) {
                continue;
            }
            long mark = mark(userId, channel);
            Map<String, Object> row = Map.of("user", userId, "channel", channel, "upTo", newest, "at", atMs);
            if (mark == -1) {
                named.update("""
                        INSERT INTO channel_read_marks (user_id, channel, read_up_to, read_at_ms)
                        VALUES (:user, :channel, :upTo, :at)""", row);
            }
            else if (newest > mark) {
                named.update("""
                        UPDATE channel_read_marks SET read_up_to = :upTo, read_at_ms = :at
                        WHERE user_id = :user AND channel = :channel""", row);
            }
        }
    }

    /** The offset up to which read-all covered the channel for the user; -1 when never. */
    private long mark(String userId, String channel) {
        List<Long> marks = named.queryForList(
                "SELECT read_up_to FROM channel_read_marks WHERE user_id = :user AND channel = :channel",
                Map.of("user", userId, "channel", channel), Long.class);
        return marks.isEmpty() ? -1 : marks.get(0);
    }
}
