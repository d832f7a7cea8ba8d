package dev.herald.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.herald.gateway.recovery.HistoryEntry;
import dev.herald.gateway.recovery.PartitionHistory;
import dev.herald.schema.Cursor;

class PartitionTests {

    private static final long NOW = System.currentTimeMillis();

    /** Records what a session would have been sent, as plain text. */
    private static final class RecordingSubscriber implements Subscriber {

        private final String userId;
        final List<String> frames = new ArrayList<>();
        boolean resynced;

        RecordingSubscriber(String userId) {
            this.userId = userId;
        }

        @Override
        public String userId() {
            return userId;
        }

        @Override
        public void send(OutboundFrame frame) {
            frames.add(frame.text());
        }

        @Override
        public void open(OutboundFrame welcome, List<OutboundFrame> missed) {
            frames.add("welcome");
            missed.forEach(frame -> frames.add(frame.text()));
        }

        @Override
        public void resync(OutboundFrame frame) {
            resynced = true;
        }

        @Override
        public CompletableFuture<Void> close(int code, String reason) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private final Partition partition = new Partition(2, new PartitionHistory(2, 0, 100, Duration.ofMinutes(5)));

    private void append(long offset, String user) {
        partition.append(new HistoryEntry(offset, user, NOW, "notification", user + "@" + offset));
    }

    @Test
    void resumedSessionGetsTheReplayThenLiveWithNothingTwiceAndNothingMissing() {
        partition.ready(NOW);
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
    void sessionsArrivingDuringWarmUpAreServedOnceTheHistoryIsWarm() {
        RecordingSubscriber alice = new RecordingSubscriber("alice");
        partition.attach(alice, Cursor.beforeStart(2), NOW);
        append(0, "alice");
        append(1, "alice");

        assertThat(alice.frames).isEmpty();
        partition.ready(NOW);
        append(2, "alice");

        assertThat(alice.frames).containsExactly("welcome", "alice@0", "alice@1", "alice@2");
    }

    @Test
    void everySessionOfTheUserGetsEachLiveEventOnce() {
        partition.ready(NOW);
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
    void cursorAheadOfTheConsumerSkipsLiveEventsUpToIt() {
        partition.ready(NOW);
        RecordingSubscriber alice = new RecordingSubscriber("alice");

        partition.attach(alice, new Cursor(2, 1), NOW);
        append(0, "alice");
        append(1, "alice");
        append(2, "alice");

        assertThat(alice.frames).containsExactly("welcome", "alice@2");
    }

    @Test
    void cursorOfAnotherPartitionIsToldToResync() {
        partition.ready(NOW);
        RecordingSubscriber alice = new RecordingSubscriber("alice");

        partition.attach(alice, new Cursor(3, 5), NOW);
        append(0, "alice");

        assertThat(alice.resynced).isTrue();
        assertThat(alice.frames).isEmpty();
    }

    @Test
    void detachedSessionGetsNothingMoreAndReleaseHandsBackTheRest() {
        partition.ready(NOW);
        RecordingSubscriber gone = new RecordingSubscriber("alice");
        RecordingSubscriber staying = new RecordingSubscriber("alice");
        RecordingSubscriber waiting = new RecordingSubscriber("bob");
        partition.attach(gone, null, NOW);
        partition.attach(staying, null, NOW);

        partition.detach(gone);
        append(0, "alice");

        assertThat(gone.frames).containsExactly("welcome");
        assertThat(partition.release()).containsExactly(staying);
        partition.attach(waiting, null, NOW);
        assertThat(partition.release()).containsExactly(waiting);
    }
}
