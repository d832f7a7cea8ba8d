package dev.herald.gateway.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.herald.schema.Cursor;

class PartitionHistoryTests {

    private static final long NOW = 1_000_000;

    private static HistoryEntry event(long offset, String user) {
        return event(offset, user, NOW);
    }

    private static HistoryEntry event(long offset, String user, long timestamp) {
        return new HistoryEntry(offset, user, timestamp, "notification", "frame-" + offset);
    }

    private static Resume.Replay replay(Resume resume) {
        assertThat(resume).isInstanceOf(Resume.Replay.class);
        return (Resume.Replay) resume;
    }

    @Test
    void resumeReturnsOnlyTheUsersEventsAfterTheCursorInOrder() {
        PartitionHistory history = new PartitionHistory(3, 10, 100, Duration.ofMinutes(10));
        for (long offset = 10; offset < 20; offset++) {
            history.append(event(offset, offset % 2 == 0 ? "alice" : "bob"));
        }

        Resume.Replay replay = replay(history.resume("alice", new Cursor(3, 13), NOW));

        assertThat(replay.missed()).extracting(HistoryEntry::offset).containsExactly(14L, 16L, 18L);
        assertThat(replay.deliverAfter()).isEqualTo(19);
    }

    @Test
    void withoutACursorNothingIsReplayedAndLiveStartsAfterThePosition() {
        PartitionHistory history = new PartitionHistory(0, 0, 100, Duration.ofMinutes(10));
        history.append(event(0, "alice"));
        history.append(event(1, "alice"));

        Resume.Replay replay = replay(history.resume("alice", null, NOW));

        assertThat(replay.missed()).isEmpty();
        assertThat(replay.deliverAfter()).isEqualTo(1);
        assertThat(history.position()).isEqualTo(new Cursor(0, 1));
    }

    @Test
    void cursorJustBeforeTheHistoryResumesWithEverything() {
        PartitionHistory history = new PartitionHistory(1, 5, 100, Duration.ofMinutes(10));
        history.append(event(5, "alice"));
        history.append(event(6, "alice"));

        assertThat(replay(history.resume("alice", new Cursor(1, 4), NOW)).missed()).hasSize(2);
        assertThat(history.oldestResumable()).isEqualTo(new Cursor(1, 4));
    }

    @Test
    void cursorOlderThanTheHistoryAsksForResync() {
        PartitionHistory history = new PartitionHistory(1, 5, 100, Duration.ofMinutes(10));
        history.append(event(5, "alice"));

        Resume resume = history.resume("alice", new Cursor(1, 3), NOW);

        assertThat(resume).isInstanceOf(Resume.Resync.class);
        assertThat(((Resume.Resync) resume).reason()).contains("older than").contains("1-4");
    }

    @Test
    void cursorOfAnotherPartitionAsksForResync() {
        PartitionHistory history = new PartitionHistory(1, 0, 100, Duration.ofMinutes(10));

        assertThat(history.resume("alice", new Cursor(2, 0), NOW)).isInstanceOf(Resume.Resync.class);
    }

    @Test
    void countBoundEvictsTheOldestAndMovesTheResumableStart() {
        PartitionHistory history = new PartitionHistory(0, 0, 3, Duration.ofMinutes(10));
        for (long offset = 0; offset < 5; offset++) {
            history.append(event(offset, "alice"));
        }

        assertThat(history.size()).isEqualTo(3);
        assertThat(history.oldestResumable()).isEqualTo(new Cursor(0, 1));
        assertThat(history.resume("alice", new Cursor(0, 0), NOW)).isInstanceOf(Resume.Resync.class);
        assertThat(replay(history.resume("alice", new Cursor(0, 1), NOW)).missed()).extracting(HistoryEntry::offset)
                .containsExactly(2L, 3L, 4L);
    }

    @Test
    void ageBoundEvictsEventsOlderThanTheMaximumAge() {
        PartitionHistory history = new PartitionHistory(0, 0, 100, Duration.ofSeconds(60));
        history.append(event(0, "alice", NOW - 120_000));
        history.append(event(1, "alice", NOW - 30_000));

        assertThat(history.resume("alice", new Cursor(0, -1), NOW)).isInstanceOf(Resume.Resync.class);
        assertThat(replay(history.resume("alice", new Cursor(0, 0), NOW)).missed()).extracting(HistoryEntry::offset)
                .containsExactly(1L);
    }

    @Test
    void cursorAheadOfWhatWasReadSkipsLiveEventsUpToIt() {
        PartitionHistory history = new PartitionHistory(0, 0, 100, Duration.ofMinutes(10));
        history.append(event(0, "alice"));

        Resume.Replay replay = replay(history.resume("alice", new Cursor(0, 7), NOW));

        assertThat(replay.missed()).isEmpty();
        assertThat(replay.deliverAfter()).isEqualTo(7);
    }

    @Test
    void skippedRecordsAdvanceThePositionWithoutBreakingCoverage() {
        PartitionHistory history = new PartitionHistory(0, 0, 100, Duration.ofMinutes(10));
        history.append(event(0, "alice"));
        history.advanceTo(2);
        history.append(event(2, "alice"));

        assertThat(history.position()).isEqualTo(new Cursor(0, 2));
        assertThat(replay(history.resume("alice", new Cursor(0, -1), NOW)).missed()).extracting(HistoryEntry::offset)
                .containsExactly(0L, 2L);
    }

    @Test
    void emptyHistoryFromTheStartResumesTheBeforeStartCursor() {
        PartitionHistory history = new PartitionHistory(4, 0, 10, Duration.ofMinutes(1));

        assertThat(replay(history.resume("alice", Cursor.beforeStart(4), NOW)).missed()).isEmpty();
    }

    @Test
    void offsetsMustIncrease() {
        PartitionHistory history = new PartitionHistory(0, 5, 10, Duration.ofMinutes(1));

        assertThatThrownBy(() -> history.append(event(4, "alice"))).isInstanceOf(IllegalArgumentException.class);
    }
}
