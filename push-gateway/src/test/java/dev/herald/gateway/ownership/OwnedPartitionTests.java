package dev.herald.gateway.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.herald.gateway.recovery.HistoryEntry;
import dev.herald.gateway.recovery.KeyedHistory;
import dev.herald.schema.Cursor;

class OwnedPartitionTests {

    private static final long NOW = 1_000_000;
    private static final long AHEAD_WAIT = 3_000;

    /** Records what a session would have been sent: the opening as given, events as their text. */
    private static final class RecordingSubscriber implements Subscriber {

        private final String userId;
        final List<String> frames = new ArrayList<>();
        Opening opening;

        RecordingSubscriber(String userId) {
            this.userId = userId;
        }

        @Override
        public String key() {
            return userId;
        }

        @Override
        public void send(OutboundFrame frame) {
            frames.add(frame.text());
        }

        @Override
        public void open(Opening opening) {
            this.opening = opening;
            if (opening.gap() != null) {
                frames.add("resync");
            }
            frames.add("welcome");
            opening.missed().forEach(frame -> frames.add(frame.text()));
        }

        Gap gap() {
            return opening == null ? null : opening.gap();
        }

        @Override
        public CompletableFuture<Void> close(int code, String reason) {
            frames.add("close " + code);
            return CompletableFuture.completedFuture(null);
        }
    }

    private OwnedPartition partition = partition(new KeyedHistory(0, 100, 100, Duration.ofMinutes(5)), 0);

    private static OwnedPartition partition(KeyedHistory history, long warmTarget) {
        return new OwnedPartition(2, "e1", history, warmTarget, AHEAD_WAIT);
    }

    private void append(long offset, String user) {
        partition.append(new HistoryEntry(offset, user, NOW, "notification", user + "@" + offset), NOW);
    }

    private void serving() {
        partition.caughtUp(0, NOW);
    }

    @Test
    void resumedSessionGetsTheReplayThenLiveWithNothingTwiceAndNothingMissing() {
        serving();
        append(0, "alice");
        append(1, "bob");
        append(2, "alice");
        RecordingSubscriber alice = new RecordingSubscriber("alice");

        partition.attach(alice, new Cursor(2, 0), NOW);
        append(3, "alice");
        append(4, "bob");

        assertThat(alice.frames).containsExactly("welcome", "alice@2", "alice@3");
    }

    @Test
    void theOpeningSaysWhereTheReplayEndsWithTheEpoch() {
        serving();
        append(0, "alice");
        append(1, "bob");
        append(2, "alice");
        RecordingSubscriber alice = new RecordingSubscriber("alice");

        partition.attach(alice, Cursor.beforeStart(2), NOW);

        assertThat(alice.opening.position()).isEqualTo(new Cursor(2, 2, "e1"));
        assertThat(alice.opening.missed()).hasSize(2);
        assertThat(alice.frames).containsExactly("welcome", "alice@0", "alice@2");
    }

    @Test
    void sessionsArrivingDuringWarmUpAreServedOnceTheHistoryHasReadItsTarget() {
        partition = partition(new KeyedHistory(0, 100, 100, Duration.ofMinutes(5)), 2);
        partition.caughtUp(0, NOW);
        RecordingSubscriber alice = new RecordingSubscriber("alice");
        partition.attach(alice, Cursor.beforeStart(2), NOW);
        append(0, "alice");
        append(1, "alice");
        assertThat(partition.state()).isEqualTo(OwnedPartition.State.WARMING);
        assertThat(alice.frames).isEmpty();

        partition.caughtUp(2, NOW);
        append(2, "alice");

        assertThat(partition.state()).isEqualTo(OwnedPartition.State.SERVING);
        assertThat(alice.frames).containsExactly("welcome", "alice@0", "alice@1", "alice@2");
    }

    @Test
    void everySessionOfTheUserGetsEachLiveEventOnce() {
        serving();
        RecordingSubscriber tab1 = new RecordingSubscriber("alice");
        RecordingSubscriber tab2 = new RecordingSubscriber("alice");
        RecordingSubscriber bob = new RecordingSubscriber("bob");
        partition.attach(tab1, null, NOW);
        partition.attach(tab2, null, NOW);
        partition.attach(bob, null, NOW);

        append(0, "alice");

        assertThat(tab1.frames).containsExactly("welcome", "alice@0");
        assertThat(tab2.frames).containsExactly("welcome", "alice@0");
        assertThat(bob.frames).containsExactly("welcome");
    }

    @Test
    void cursorJustAheadOfWhatWasReadWaitsForTheLogThenGoesOnFromIt() {
        serving();
        RecordingSubscriber alice = new RecordingSubscriber("alice");

        partition.attach(alice, new Cursor(2, 1), NOW);
        append(0, "alice");
        assertThat(alice.frames).isEmpty();
        append(1, "alice");
        append(2, "alice");

        assertThat(alice.frames).containsExactly("welcome", "alice@2");
        assertThat(alice.gap()).isNull();
    }

    @Test
    void cursorAheadOfTheLogGetsResyncOnceItWaitedAndStaysLive() {
        serving();
        append(0, "alice");
        RecordingSubscriber alice = new RecordingSubscriber("alice");

        partition.attach(alice, new Cursor(2, 500), NOW);
        partition.tick(NOW + AHEAD_WAIT - 1);
        assertThat(alice.frames).isEmpty();
        partition.tick(NOW + AHEAD_WAIT);
        append(1, "alice");

        assertThat(alice.gap().from()).as("nothing the client holds can be trusted").isNull();
        assertThat(alice.gap().to()).isEqualTo(new Cursor(2, 0, "e1"));
        assertThat(alice.frames).containsExactly("resync", "welcome", "alice@1");
    }

    @Test
    void cursorOfAnotherPartitionOrEpochIsToldToResyncAndTheSessionGoesOn() {
        serving();
        append(0, "alice");
        RecordingSubscriber otherPartition = new RecordingSubscriber("alice");
        RecordingSubscriber otherEpoch = new RecordingSubscriber("alice");

        partition.attach(otherPartition, new Cursor(3, 5), NOW);
        partition.attach(otherEpoch, new Cursor(2, 0, "old"), NOW);
        append(1, "alice");

        for (RecordingSubscriber session : List.of(otherPartition, otherEpoch)) {
            assertThat(session.gap().from()).isNull();
            assertThat(session.gap().to()).isEqualTo(new Cursor(2, 0, "e1"));
            assertThat(session.frames).containsExactly("resync", "welcome", "alice@1");
        }
    }

    @Test
    void cursorOlderThanTheHistoryGetsTheGapToFillAndEverythingAfterItAtOnce() {
        partition = partition(new KeyedHistory(10, 100, 100, Duration.ofMinutes(5)), 10);
        partition.caughtUp(10, NOW);
        append(10, "alice");
        append(11, "bob");
        RecordingSubscriber alice = new RecordingSubscriber("alice");

        partition.attach(alice, new Cursor(2, 3, "e1"), NOW);
        append(12, "alice");

        assertThat(alice.gap().from()).isEqualTo(new Cursor(2, 3, "e1"));
        assertThat(alice.gap().to()).isEqualTo(new Cursor(2, 9, "e1"));
        assertThat(alice.opening.missed()).hasSize(1);
        assertThat(alice.frames).containsExactly("resync", "welcome", "alice@10", "alice@12");
    }

    @Test
    void detachedSessionGetsNothingMoreAndReleaseHandsBackTheRest() {
        serving();
        RecordingSubscriber gone = new RecordingSubscriber("alice");
        RecordingSubscriber staying = new RecordingSubscriber("alice");
        RecordingSubscriber waiting = new RecordingSubscriber("bob");
        partition.attach(gone, null, NOW);
        partition.attach(staying, null, NOW);

        partition.detach(gone);
        append(0, "alice");

        assertThat(gone.frames).containsExactly("welcome");
        assertThat(partition.release()).containsExactly(staying);
        partition.attach(waiting, new Cursor(2, 99), NOW);
        assertThat(partition.release()).containsExactly(waiting);
    }
}
