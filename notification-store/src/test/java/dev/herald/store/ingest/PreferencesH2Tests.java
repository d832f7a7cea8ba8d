package dev.herald.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.herald.schema.Envelope;
import dev.herald.schema.Preferences;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The writer's handling of preferences (V9) on H2 in MySQL mode: judged in stream order, on arrival. */
class PreferencesH2Tests {

    private static final Instant AT = Instant.parse("2026-12-03T12:00:00.123Z");
    private static final Preferences MUTE_MARKETING = new Preferences(List.of(new Preferences.Rule("marketing.*", true),
            new Preferences.Rule("marketing.receipt", false)));

    private JdbcTemplate jdbc;
    private MigratedH2.RecordingPublisher publisher;
    private InboxWriter writer;

    @BeforeEach
    void migrateAFreshDatabase() {
        DriverManagerDataSource dataSource = MigratedH2.fresh();
        jdbc = new JdbcTemplate(dataSource);
        publisher = MigratedH2.publisher();
        writer = new InboxWriter(jdbc, new NamedParameterJdbcTemplate(dataSource), Clock.systemUTC(), MigratedH2.properties(),
                publisher);
    }

    @Test
    void aNotificationIsJudgedByTheSetInForceWhereItSitsInTheStream() {
        writer.apply(List.of(
                notification("before", "alice", "marketing.promo", false, 0),
                preferences("p1", "alice", MUTE_MARKETING, 1),
                notification("muted", "alice", "marketing.promo", false, 2),
                notification("allowed", "alice", "marketing.receipt", false, 3),
                notification("critical", "alice", "marketing.promo", true, 4),
                notification("other", "alice", "order.shipped", false, 5),
                notification("bobs", "bob", "marketing.promo", false, 6)), List.of(), Map.of(0, 6L));

        assertThat(mutedIds()).containsExactly("muted");
        assertThat(unread("alice")).isEqualTo(4);
        assertThat(unread("bob")).as("another user's set is their own").isEqualTo(1);

        // The next batch reads the stored set; an unmute applies to what comes after it only.
        writer.apply(List.of(
                notification("muted-again", "alice", "marketing.news", false, 7),
                preferences("p2", "alice", Preferences.NONE, 8),
                notification("after-unmute", "alice", "marketing.news", false, 9)), List.of(), Map.of(0, 9L));

        assertThat(mutedIds()).containsExactly("muted", "muted-again");
        assertThat(unread("alice")).isEqualTo(5);
        assertThat(jdbc.queryForObject("SELECT updated_offset FROM user_preferences WHERE user_id = 'alice'", Long.class))
                .isEqualTo(8L);
        assertThat(publisher.sent).extracting(p -> p.snapshot().offset()).containsExactly(1L, 8L);
        assertThat(publisher.sent.get(0).snapshot().preferences()).isEqualTo(MUTE_MARKETING);
        assertThat(publisher.sent.get(0).partition()).isZero();
    }

    @Test
    void readingAMutedNotificationLeavesTheCountAlone() {
        writer.apply(List.of(
                preferences("p1", "carol", MUTE_MARKETING, 0),
                notification("m1", "carol", "marketing.promo", false, 1),
                notification("m2", "carol", "marketing.promo", false, 2),
                notification("n1", "carol", "order.shipped", false, 3),
                notification("n2", "carol", "order.shipped", false, 4),
                new PositionedEvent(Envelope.read("r1", "carol", List.of("m1", "n1"), AT, "s"), 0, 5)), List.of(), Map.of(0, 5L));

        assertThat(unread("carol")).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT event_id FROM notifications WHERE read_at_ms IS NOT NULL ORDER BY event_id",
                String.class)).containsExactly("m1", "n1");

        writer.apply(List.of(new PositionedEvent(Envelope.readAll("ra", "carol", AT, "s"), 0, 6)), List.of(), Map.of(0, 6L));

        assertThat(unread("carol")).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notifications WHERE read_at_ms IS NULL", Integer.class)).isZero();
    }

    @Test
    void aSecondCopyOfAPreferencesEventIsNotAppliedAgain() {
        writer.apply(List.of(preferences("p1", "dave", MUTE_MARKETING, 0)), List.of(), Map.of(0, 0L));
        writer.apply(List.of(preferences("p1", "dave", MUTE_MARKETING, 0), preferences("p2", "dave", Preferences.NONE, 1)),
                List.of(), Map.of(0, 1L));

        assertThat(publisher.sent).extracting(p -> p.snapshot().offset()).containsExactly(0L, 1L);
        assertThat(jdbc.queryForObject("SELECT rules FROM user_preferences WHERE user_id = 'dave'", String.class))
                .isEqualTo("{\"rules\":[]}");
    }

    private List<String> mutedIds() {
        return jdbc.queryForList("SELECT event_id FROM notifications WHERE muted = 1 ORDER BY kafka_offset", String.class);
    }

    private static PositionedEvent notification(String id, String user, String type, boolean critical, long offset) {
        return new PositionedEvent(Envelope.notification(id, user, type, "Hi " + id, "", null, AT, AT, "it", critical), 0, offset);
    }

    private static PositionedEvent preferences(String id, String user, Preferences set, long offset) {
        return new PositionedEvent(Envelope.preferences(id, user, set, AT, "notification-store"), 0, offset);
    }

    private int unread(String user) {
        return jdbc.queryForObject("SELECT unread FROM unread_counts WHERE user_id = ?", Integer.class, user);
    }
}
