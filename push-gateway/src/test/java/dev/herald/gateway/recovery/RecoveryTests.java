package dev.herald.gateway.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.herald.schema.Cursor;

class RecoveryTests {

    @Test
    void warmStartKeepsTheNewestRecordsThatAreYoungEnoughAndStillInTheLog() {
        assertThat(Recovery.warmStart(0, 100, 10, 50L)).as("count bound").isEqualTo(90);
        assertThat(Recovery.warmStart(0, 100, 80, 50L)).as("age bound").isEqualTo(50);
        assertThat(Recovery.warmStart(95, 100, 80, 50L)).as("log start").isEqualTo(95);
        assertThat(Recovery.warmStart(0, 100, 80, null)).as("nothing young enough").isEqualTo(100);
    }

    @Test
    void noCursorGoesLiveFromNow() {
        assertThat(Recovery.decide(null, 2, "e1", 40, 10, false)).isEqualTo(new Recovery.Replay(40));
    }

    @Test
    void cursorWithinTheHistoryReplaysAfterItself() {
        assertThat(Recovery.decide(new Cursor(2, 9, "e1"), 2, "e1", 40, 10, false)).isEqualTo(new Recovery.Replay(9));
        assertThat(Recovery.decide(new Cursor(2, 40), 2, "e1", 40, 10, false)).as("no epoch: trusted by offset")
                .isEqualTo(new Recovery.Replay(40));
    }

    @Test
    void cursorOlderThanTheUsersCoverageHasAGapUpToIt() {
        Recovery.Decision decision = Recovery.decide(new Cursor(2, 5, "e1"), 2, "e1", 40, 10, false);

        assertThat(decision).isInstanceOf(Recovery.Gap.class);
        Recovery.Gap gap = (Recovery.Gap) decision;
        assertThat(gap.from()).isEqualTo(new Cursor(2, 5, "e1"));
        assertThat(gap.to()).isEqualTo(9);
    }

    @Test
    void cursorAheadOfWhatWasReadWaitsThenCannotBeTrusted() {
        assertThat(Recovery.decide(new Cursor(2, 41), 2, "e1", 40, 10, false)).isInstanceOf(Recovery.Wait.class);
        Recovery.Decision waited = Recovery.decide(new Cursor(2, 41), 2, "e1", 40, 10, true);
        assertThat(waited).isInstanceOf(Recovery.Gap.class);
        assertThat(((Recovery.Gap) waited).from()).isNull();
        assertThat(((Recovery.Gap) waited).to()).isEqualTo(40);
    }

    @Test
    void cursorOfAnotherPartitionOrEpochCannotBeTrusted() {
        for (Cursor cursor : new Cursor[] { new Cursor(3, 5), new Cursor(2, 20, "e0") }) {
            Recovery.Decision decision = Recovery.decide(cursor, 2, "e1", 40, 10, false);
            assertThat(decision).isInstanceOf(Recovery.Gap.class);
            assertThat(((Recovery.Gap) decision).from()).isNull();
            assertThat(((Recovery.Gap) decision).to()).isEqualTo(40);
        }
        assertThat(Recovery.decide(new Cursor(2, 20, "e0"), 2, null, 40, 10, false)).as("current epoch unknown")
                .isEqualTo(new Recovery.Replay(20));
    }
}
