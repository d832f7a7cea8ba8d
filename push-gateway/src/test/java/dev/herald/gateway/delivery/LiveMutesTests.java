package dev.herald.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.herald.schema.Envelope;
import dev.herald.schema.PreferenceSnapshot;
import dev.herald.schema.Preferences;

class LiveMutesTests {

    private static final Instant AT = Instant.parse("2026-12-03T12:00:00Z");
    private static final Preferences MUTE_PROMOS = new Preferences(List.of(new Preferences.Rule("promo.*", true)));

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final LiveMutes mutes = new LiveMutes(meters);

    @Test
    void theSuppressedCounterIsRegisteredAtZero() {
        assertThat(meters.get("herald.gateway.notifications.suppressed").counter().count()).isZero();
    }

    @Test
    void aNotificationIsJudgedByTheLastSetBeforeItInThePartition() {
        assertThat(mutes.suppresses(3, notification("promo.spring", false), 10)).as("no set known").isFalse();
        mutes.apply(3, Envelope.preferences("p", "alice", MUTE_PROMOS, AT, "store"), 11);

        assertThat(mutes.suppresses(3, notification("promo.spring", false), 12)).isTrue();
        assertThat(mutes.suppresses(3, notification("promo.spring", true), 13)).as("critical").isFalse();
        assertThat(mutes.suppresses(3, notification("order.shipped", false), 14)).isFalse();
        assertThat(mutes.suppresses(4, notification("promo.spring", false), 15)).as("another partition").isFalse();

        mutes.apply(3, Envelope.preferences("p2", "alice", Preferences.NONE, AT, "store"), 16);
        assertThat(mutes.suppresses(3, notification("promo.spring", false), 17)).isFalse();
        assertThat(meters.get("herald.gateway.notifications.suppressed").counter().count()).isEqualTo(1);
    }

    @Test
    void aLoadedSetDoesNotJudgeWhatCameBeforeItNorGiveWayToAnOlderEvent() {
        mutes.load(3, List.of(new PreferenceSnapshot("alice", MUTE_PROMOS, 50)));

        assertThat(mutes.suppresses(3, notification("promo.spring", false), 40)).as("older than the set").isFalse();
        assertThat(mutes.suppresses(3, notification("promo.spring", false), 51)).isTrue();

        // The warm-up reads an older preferences event again: the loaded, newer set stays.
        mutes.apply(3, Envelope.preferences("old", "alice", Preferences.NONE, AT, "store"), 30);
        assertThat(mutes.suppresses(3, notification("promo.spring", false), 52)).isTrue();

        mutes.revoked(3);
        assertThat(mutes.suppresses(3, notification("promo.spring", false), 53)).isFalse();
    }

    private static Envelope notification(String type, boolean critical) {
        return Envelope.notification("e", "alice", type, "T", "", null, AT, AT, "shop", critical);
    }
}
