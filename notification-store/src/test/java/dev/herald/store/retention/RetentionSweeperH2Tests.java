package dev.herald.store.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.herald.store.ingest.MigratedH2;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The retention sweeps on H2 in MySQL mode: batch by batch, and unread_counts kept exact. */
class RetentionSweeperH2Tests {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private JdbcTemplate jdbc;
    private RetentionSweeper sweeper;
    private long offset;

    @BeforeEach
    void migrateAFreshDatabase() {
        DriverManagerDataSource dataSource = MigratedH2.fresh();
        jdbc = new JdbcTemplate(dataSource);
        sweeper = new RetentionSweeper(new NamedParameterJdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource),
                Clock.fixed(NOW, ZoneOffset.UTC), 2);
    }

    @Test
    void deletesExpiredNotificationsInBatchesAndTakesTheUnreadOnesOffTheCount() {
        notification("alice", "x1", NOW.minusSeconds(60), false, NOW.minusSeconds(30));
        notification("alice", "x2", NOW.minusSeconds(60), true, NOW.minusSeconds(20));
        notification("alice", "x3", NOW.minusSeconds(60), false, NOW);
        notification("bob", "x4", NOW.minusSeconds(60), false, NOW.minusSeconds(10));
        notification("alice", "keep", NOW.minusSeconds(60), false, NOW.plusMillis(1));
        notification("alice", "forever", NOW.minusSeconds(60), false, null);
        counts("alice", 4, "bob", 1);

        assertThat(sweeper.expiredNotifications()).as("a full batch: the two oldest expiries").isEqualTo(2);
        assertThat(eventIds()).containsExactlyInAnyOrder("x3", "x4", "keep", "forever");
        assertThat(unread("alice")).as("x1 was unread, x2 read").isEqualTo(3);
        assertThat(sweeper.expiredNotifications()).isEqualTo(2);
        assertThat(sweeper.expiredNotifications()).isZero();

        assertThat(eventIds()).containsExactlyInAnyOrder("keep", "forever");
        assertThat(unread("alice")).isEqualTo(2);
        assertThat(unread("bob")).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notification_expiries", Integer.class))
                .as("the expiry rows went with their notifications").isEqualTo(1);
    }

    @Test
    void aLimitThatDeletesAnExpiringNotificationTakesItsExpiryRowToo() {
        notification("alice", "a1", NOW.minus(Duration.ofDays(100)), false, NOW.plusSeconds(60));
        counts("alice", 1, "bob", 0);

        assertThat(sweeper.olderThan(Duration.ofDays(90))).isEqualTo(1);

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notification_expiries", Integer.class)).isZero();
        assertThat(unread("alice")).isZero();
    }

    @Test
    void deletesExpiredChannelMessages() {
        message("m1", 1, NOW.minusSeconds(1));
        message("m2", 2, null);
        message("m3", 3, NOW.plusSeconds(1));

        assertThat(sweeper.expiredChannelMessages()).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT event_id FROM channel_messages", String.class)).containsExactlyInAnyOrder("m2", "m3");
    }

    @Test
    void keepsTheNewestItemsOfEachUserAndAdjustsTheirCounts() {
        for (int i = 1; i <= 5; i++) {
            notification("alice", "a" + i, NOW.minusSeconds(100 - i), i == 2, null);
        }
        notification("bob", "b1", NOW.minusSeconds(50), false, null);
        counts("alice", 4, "bob", 1);

        assertThat(sweeper.overMaxItems(2)).as("a1-a3, in two transactions of at most two rows").isEqualTo(3);

        assertThat(eventIds()).containsExactlyInAnyOrder("a4", "a5", "b1");
        assertThat(unread("alice")).as("a1 and a3 were unread, a2 read").isEqualTo(2);
        assertThat(unread("bob")).isEqualTo(1);
        assertThat(sweeper.overMaxItems(2)).isZero();
    }

    @Test
    void deletesNotificationsOlderThanTheMaximumAgeOldestFirst() {
        notification("alice", "old1", NOW.minus(Duration.ofDays(91)), false, null);
        notification("bob", "old2", NOW.minus(Duration.ofDays(90)).minusMillis(1), true, null);
        notification("alice", "old3", NOW.minus(Duration.ofDays(95)), false, null);
        notification("alice", "young", NOW.minus(Duration.ofDays(89)), false, null);
        counts("alice", 3, "bob", 0);

        assertThat(sweeper.olderThan(Duration.ofDays(90))).isEqualTo(2);
        assertThat(sweeper.olderThan(Duration.ofDays(90))).isEqualTo(1);
        assertThat(sweeper.olderThan(Duration.ofDays(90))).isZero();

        assertThat(eventIds()).containsExactly("young");
        assertThat(unread("alice")).isEqualTo(1);
    }

    private void notification(String user, String eventId, Instant acceptedAt, boolean read, Instant expiresAt) {
        jdbc.update("""
                INSERT INTO notifications (event_id, user_id, kafka_partition, kafka_offset, type, title, body, source,
                    occurred_at_ms, accepted_at_ms, read_at_ms, expires_at_ms)
                VALUES (?, ?, 0, ?, 't', 'T', '', 'shop', ?, ?, ?, ?)""",
                eventId, user, offset++, acceptedAt.toEpochMilli(), acceptedAt.toEpochMilli(),
                read ? acceptedAt.toEpochMilli() : null, expiresAt == null ? null : expiresAt.toEpochMilli());
        if (expiresAt != null) {
            jdbc.update("""
                    INSERT INTO notification_expiries (user_id, expires_at_ms, notification_id)
                    SELECT user_id, expires_at_ms, id FROM notifications WHERE event_id = ?""", eventId);
        }
    }

    private void message(String eventId, long offset, Instant expiresAt) {
        jdbc.update("""
                INSERT INTO channel_messages (event_id, channel, source, kafka_partition, kafka_offset, type, title, body,
                    occurred_at_ms, accepted_at_ms, expires_at_ms)
                VALUES (?, 'system', 'ops', 0, ?, 't', 'T', '', ?, ?, ?)""",
                eventId, offset, NOW.toEpochMilli(), NOW.toEpochMilli(), expiresAt == null ? null : expiresAt.toEpochMilli());
    }

    private void counts(String user1, int unread1, String user2, int unread2) {
        jdbc.update("INSERT INTO unread_counts (user_id, unread) VALUES (?, ?), (?, ?)", user1, unread1, user2, unread2);
    }

    private int unread(String user) {
        return jdbc.queryForObject("SELECT unread FROM unread_counts WHERE user_id = ?", Integer.class, user);
    }

    private List<String> eventIds() {
        return jdbc.queryForList("SELECT event_id FROM notifications", String.class);
    }
}
