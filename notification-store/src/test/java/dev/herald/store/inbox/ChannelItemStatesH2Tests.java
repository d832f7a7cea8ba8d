package dev.herald.store.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.herald.store.ingest.ChannelTopic;
import dev.herald.store.ingest.ChannelTopics;
import dev.herald.store.ingest.MigratedH2;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The read side of V6's seen and archived state of inbox-channel messages on H2 in MySQL mode:
 * counts and status pages, each user's own (the writer's side is in the ingest package's tests).
 */
class ChannelItemStatesH2Tests {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

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
        message("a1", 5);
        message("a2", 6);
        message("a3", 7);
    }

    @AfterEach
    void closeTheTopic() {
        topic.destroy();
    }

    @Test
    void unseenCountsTheMessagesAboveTheSeenMarkThatWereNotSeenOneByOne() {
        assertThat(channels.unseen("alice")).isEqualTo(3);
        jdbc.update("INSERT INTO channel_seen (user_id, channel, kafka_offset, seen_at_ms) VALUES ('alice', 'system', 7, 1)");
        assertThat(channels.unseen("alice")).isEqualTo(2);
        jdbc.update("INSERT INTO channel_seen_marks (user_id, channel, seen_up_to, seen_at_ms) VALUES ('alice', 'system', 6, 2)");
        assertThat(channels.unseen("alice")).isZero();
        assertThat(channels.unread("alice")).as("seen is not read").isEqualTo(3);
        assertThat(channels.unseen("bob")).as("another user's state is theirs").isEqualTo(3);

        InboxItem a1 = page("alice", InboxRepository.Status.SEEN).get(2);
        assertThat(a1.eventId()).isEqualTo("a1");
        assertThat(a1.seen()).isTrue();
        assertThat(a1.seenAt()).as("seen by the mark").isEqualTo(Instant.ofEpochMilli(2));
        assertThat(page("bob", InboxRepository.Status.UNSEEN)).hasSize(3);
        assertThat(page("alice", InboxRepository.Status.UNSEEN)).isEmpty();
    }

    @Test
    void anArchivedMessageIsInNoCountAndOnlyInTheArchivedPage() {
        jdbc.update("INSERT INTO channel_archives (user_id, channel, kafka_offset, archived_at_ms) VALUES ('alice', 'system', 6, 3)");

        assertThat(channels.unread("alice")).isEqualTo(2);
        assertThat(channels.unseen("alice")).isEqualTo(2);
        assertThat(channels.unread("bob")).isEqualTo(3);
        assertThat(ids(page("alice", InboxRepository.Status.ALL))).containsExactly("a3", "a1");
        assertThat(ids(page("alice", InboxRepository.Status.UNREAD))).containsExactly("a3", "a1");
        assertThat(ids(page("alice", InboxRepository.Status.UNSEEN))).containsExactly("a3", "a1");
        List<InboxItem> archived = page("alice", InboxRepository.Status.ARCHIVED);
        assertThat(ids(archived)).containsExactly("a2");
        assertThat(archived.get(0).archived()).isTrue();
        assertThat(archived.get(0).archivedAt()).isEqualTo(Instant.ofEpochMilli(3));
        assertThat(page("bob", InboxRepository.Status.ARCHIVED)).isEmpty();
    }

    private List<InboxItem> page(String user, InboxRepository.Status status) {
        return channels.page(user, "system", status, -1, Long.MAX_VALUE, false, 10).stream()
                .map(InboxMerge.Candidate::item).toList();
    }

    private static List<String> ids(List<InboxItem> items) {
        return items.stream().map(InboxItem::eventId).toList();
    }

    private void message(String eventId, long offset) {
        jdbc.update("""
                INSERT INTO channel_messages (event_id, channel, source, kafka_partition, kafka_offset, type, title, body,
                    occurred_at_ms, accepted_at_ms)
                VALUES (?, 'system', 'ops', 1, ?, 'system.alert', ?, '', ?, ?)""", eventId, offset, "Title " + eventId,
                NOW.minusSeconds(60 - offset).toEpochMilli(), NOW.minusSeconds(60 - offset).toEpochMilli());
    }
}
