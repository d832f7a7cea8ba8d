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

/** Which fan-outs a partition reports as delivered: once per notification that reached a session, live or replayed. */
class DeliveryReceiptsTests {

    private static final long NOW = 1_000_000;

    private final List<String> reported = new ArrayList<>();
    private final OwnedPartition partition = new OwnedPartition(2, "e1", new KeyedHistory(0, 100, 100, Duration.ofMinutes(5)),
            0, 3_000, (user, eventId, sessions) -> reported.add(user + ":" + eventId + "x" + sessions));

    private static Subscriber session(String user) {
        return new Subscriber() {
            @Override
            public String key() {
                return user;
            }

            @Override
            public void send(OutboundFrame frame) {
            }

            @Override
            public void open(Opening opening) {
            }

            @Override
            public CompletableFuture<Void> close(int code, String reason) {
                return CompletableFuture.completedFuture(null);
            }
        };
    }

    private void notification(long offset, String user) {
        partition.append(new HistoryEntry(offset, user, NOW, "notification", "{}", "n" + offset), NOW);
    }

    @Test
    void aNotificationIsReportedOnceForAllOfItsUsersSessionsAndNotWhenNobodyIsThere() {
        partition.caughtUp(0, NOW);
        partition.attach(session("alice"), null, NOW);
        partition.attach(session("alice"), null, NOW);

        notification(0, "alice");
        notification(1, "bob");
        partition.append(new HistoryEntry(2, "alice", NOW, "read", "{}"), NOW);

        assertThat(reported).containsExactly("alice:n0x2");
    }

    @Test
    void aResumeReportsWhatItsReplayDelivers() {
        partition.caughtUp(0, NOW);
        notification(0, "alice");
        notification(1, "alice");
        assertThat(reported).isEmpty();

        partition.attach(session("alice"), new Cursor(2, 0), NOW);

        assertThat(reported).containsExactly("alice:n1x1");
    }
}
