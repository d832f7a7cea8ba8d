package dev.herald.gateway.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class KeyedHistoryTests {

    private static final long NOW = 1_000_000;

    private static HistoryEntry entry(long offset, String user) {
        return entry(offset, user, NOW);
    }

    private static HistoryEntry entry(long offset, String user, long at) {
        return new HistoryEntry(offset, user, at, "notification", user + "@" + offset);
    }

    private static List<Long> offsets(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::offset).toList();
    }

    @Test
    void givesEachUserOnlyItsOwnEventsAfterTheCursor() {
        KeyedHistory history = new KeyedHistory(0, 100, 100, Duration.ofMinutes(5));
        history.append(entry(0, "alice"));
        history.append(entry(1, "bob"));
        history.append(entry(2, "alice"));
        history.append(entry(3, "alice"));

        assertThat(offsets(history.after("alice", 0))).containsExactly(2L, 3L);
        assertThat(offsets(history.after("alice", -1))).containsExactly(0L, 2L, 3L);
        assertThat(offsets(history.after("bob", 1))).isEmpty();
        assertThat(history.after("carol", -1)).isEmpty();
        assertThat(history.position()).isEqualTo(3);
        assertThat(history.coverageStart("alice")).isZero();
    }

    @Test
    void aNoisyUserEvictsItsOwnEventsNotEveryoneElses() {
        KeyedHistory history = new KeyedHistory(0, 100, 3, Duration.ofMinutes(5));
        history.append(entry(0, "quiet"));
        for (long offset = 1; offset <= 50; offset++) {
            history.append(entry(offset, "noisy"));
        }

        assertThat(offsets(history.after("quiet", -1))).containsExactly(0L);
        assertThat(history.coverageStart("quiet")).isZero();
        assertThat(offsets(history.after("noisy", -1))).containsExactly(48L, 49L, 50L);
        assertThat(history.coverageStart("noisy")).isEqualTo(48);
        assertThat(history.size()).isEqualTo(4);
    }

    @Test
    void thePartitionBoundMovesTheCoverageOfTheUsersWhoseEventsGo() {
        KeyedHistory history = new KeyedHistory(0, 3, 100, Duration.ofMinutes(5));
        history.append(entry(0, "alice"));
        history.append(entry(1, "bob"));
        history.append(entry(2, "bob"));
        history.append(entry(3, "carol"));

        assertThat(history.coverageStart("bob")).as("lost none of its own").isZero();
        assertThat(history.coverageStart("alice")).as("lost its only event, covered from after it").isEqualTo(1);
        assertThat(history.coverageStart("dave")).as("no events kept: from after the newest evicted").isEqualTo(1);
        assertThat(history.size()).isEqualTo(3);
    }

    @Test
    void tombstonesOfPerUserEvictionsCountAgainstThePartitionsMemoryBound() {
        KeyedHistory history = new KeyedHistory(0, 10, 2, Duration.ofMinutes(5));
        for (long offset = 0; offset < 1_000; offset++) {
            history.append(entry(offset, "noisy"));
        }
        history.append(entry(1_000, "quiet"));

        assertThat(history.size()).isEqualTo(3);
        assertThat(offsets(history.after("quiet", -1))).containsExactly(1_000L);
    }

    @Test
    void oldEventsExpireAndTheirUsersCoverageMoves() {
        KeyedHistory history = new KeyedHistory(0, 100, 100, Duration.ofSeconds(10));
        history.append(entry(0, "alice", NOW - 20_000));
        history.append(entry(1, "alice", NOW));

        history.evictExpired(NOW);

        assertThat(offsets(history.after("alice", -1))).containsExactly(1L);
        assertThat(history.coverageStart("alice")).isEqualTo(1);
    }

    @Test
    void recordsNotKeptStillMoveThePosition() {
        KeyedHistory history = new KeyedHistory(5, 100, 100, Duration.ofMinutes(5));
        assertThat(history.position()).isEqualTo(4);
        history.advanceTo(9);
        assertThat(history.position()).isEqualTo(8);
        assertThat(history.coverageStart("anyone")).isEqualTo(5);
        assertThatThrownBy(() -> history.append(entry(3, "alice"))).isInstanceOf(IllegalArgumentException.class);
    }
}
