package dev.herald.store.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.herald.schema.Preferences;
import dev.herald.store.ingest.ChannelTopic;
import dev.herald.store.ingest.ChannelTopics;
import dev.herald.store.ingest.MigratedH2;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The read side of inbox channels on H2 in MySQL mode, the local stack's default: counts and pages from V5's read state. */
class ChannelInboxH2Tests {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    private JdbcTemplate jdbc;
    private ChannelTopic topic;
    private ChannelInbox channels;

    @BeforeEach
    void migrateAFreshDatabase() {
        DriverManagerDataSource dataSource = MigratedH2.fresh();
        jdbc = new JdbcTemplate(dataSource);
        topic = ChannelTopics.unreachable();
        channels = new ChannelInbox(new NamedParameterJdbcTemplate(dataSource), topic, Clock.fixed(NOW, ZoneOffset.UTC),
                MigratedH2.properties());
        message("old", 4, NOW.minus(Duration.ofDays(31)));
        message("a1", 5, NOW.minusSeconds(30));
        message("a2", 6, NOW.minusSeconds(20));
        message("a3", 7, NOW.minusSeconds(10));
        message("elsewhere", 8, NOW.minusSeconds(5), "order:1");
    }

    @AfterEach
    void closeTheTopic() {
        topic.destroy();
    }

    @Test
    void everyUserHasTheWindowsMessagesUnreadUntilTheyReadThem() {
        assertThat(channels.unread("alice")).as("the 31-day-old message is outside the window").isEqualTo(3);
        assertThat(ids(channels.page("alice", "system", InboxRepository.Status.ALL, -1, Long.MAX_VALUE, false, 10)))
                .containsExactly("a3", "a2", "a1");

        jdbc.update("INSERT INTO channel_reads (user_id, channel, kafka_offset, read_at_ms) VALUES ('alice', 'system', 6, ?)",
                NOW.toEpochMilli());

        assertThat(channels.unread("alice")).isEqualTo(2);
        assertThat(channels.unread("bob")).as("another user's read is theirs").isEqualTo(3);
        assertThat(ids(channels.page("alice", "system", InboxRepository.Status.UNREAD, -1, Long.MAX_VALUE, false, 10)))
                .containsExactly("a3", "a1");
        List<InboxMerge.Candidate<InboxItem>> read = channels.page("alice", "system", InboxRepository.Status.READ, -1,
                Long.MAX_VALUE, false, 10);
        assertThat(ids(read)).containsExactly("a2");
        InboxItem item = read.get(0).item();
        assertThat(item.channel()).isEqualTo("system");
        assertThat(item.cursor()).isNull();
        assertThat(item.channelCursor()).isEqualTo("1-6");
        assertThat(item.readAt()).isEqualTo(NOW);
        assertThat(read.get(0).acceptedAtMs()).isEqualTo(NOW.minusSeconds(20).toEpochMilli());
    }

    @Test
    void aReadAllMarkCoversWhatIsAtOrBelowItAndTheReadsAboveItStillCount() {
        jdbc.update("INSERT INTO channel_read_marks (user_id, channel, read_up_to, read_at_ms) VALUES ('carol', 'system', 6, ?)",
                NOW.minusSeconds(1).toEpochMilli());
        assertThat(channels.unread("carol")).isEqualTo(1);
        jdbc.update("INSERT INTO channel_reads (user_id, channel, kafka_offset, read_at_ms) VALUES ('carol', 'system', 7, ?)",
                NOW.toEpochMilli());
        assertThat(channels.unread("carol")).isZero();

        List<InboxMerge.Candidate<InboxItem>> page = channels.page("carol", "system", InboxRepository.Status.ALL, 5,
                Long.MAX_VALUE, true, 10);
        assertThat(ids(page)).as("after offset 5, oldest first").containsExactly("a2", "a3");
        assertThat(page.get(0).item().readAt()).as("read by the mark").isEqualTo(NOW.minusSeconds(1));
        assertThat(page.get(1).item().readAt()).isEqualTo(NOW);
    }

    @Test
    void aChannelWithNothingInTheWindowIsInNoInbox() {
        jdbc.update("DELETE FROM channel_messages WHERE event_id <> 'old'");
        assertThat(channels.unread("dave")).isZero();
        assertThat(channels.page("dave", "system", InboxRepository.Status.ALL, -1, Long.MAX_VALUE, false, 10)).isEmpty();
        assertThat(channels.holds("system", "old")).isTrue();
        assertThat(channels.holds("system", "nope")).isFalse();
    }

    @Test
    void messagesOfTypesTheUserMutesLeaveTheirCountAndPages() {
        jdbc.update("UPDATE channel_messages SET type = 'system.maintenance' WHERE event_id IN ('a1', 'a3')");
        Preferences muteMaintenance = new Preferences(List.of(new Preferences.Rule("system.*", true),
                new Preferences.Rule("system.alert", false)));

        assertThat(channels.mutedTypes("system", muteMaintenance)).containsExactly("system.maintenance");
        assertThat(channels.mutedTypes("system", Preferences.NONE)).isEmpty();
        assertThat(channels.unread("erin", muteMaintenance)).isEqualTo(1);
        assertThat(channels.unread("erin", Preferences.NONE)).isEqualTo(3);
        assertThat(ids(channels.page("erin", "system", InboxRepository.Status.ALL, channels.mutedTypes("system", muteMaintenance),
                -1, Long.MAX_VALUE, false, 10))).containsExactly("a2");
        // Judged by the current set, not on arrival: without the mute they are back.
        assertThat(ids(channels.page("erin", "system", InboxRepository.Status.UNREAD, Set.of(), -1, Long.MAX_VALUE, false, 10)))
                .containsExactly("a3", "a2", "a1");
    }

    private void message(String eventId, long offset, Instant acceptedAt) {
        message(eventId, offset, acceptedAt, "system");
    }

    private void message(String eventId, long offset, Instant acceptedAt, String channel) {
        jdbc.update("""
                INSERT INTO channel_messages (event_id, channel, source, kafka_partition, kafka_offset, type, title, body,
                    occurred_at_ms, accepted_at_ms)
                VALUES (?, ?, 'ops', 1, ?, 'system.alert', ?, '', ?, ?)""", eventId, channel, offset, "Title " + eventId,
                acceptedAt.toEpochMilli(), acceptedAt.toEpochMilli());
    }

    private static List<String> ids(List<InboxMerge.Candidate<InboxItem>> page) {
        return page.stream().map(c -> c.item().eventId()).toList();
    }
}
