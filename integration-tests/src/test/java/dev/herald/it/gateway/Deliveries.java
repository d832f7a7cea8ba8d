package dev.herald.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.awaitility.core.ConditionTimeoutException;

/** What the failover tests assert of a stream: every user got every accepted event once, in order. */
final class Deliveries {

    private Deliveries() {
    }

    /** Waits (up to 60 s) for every accepted event to arrive, prints the counts, then asserts them. */
    static void assertEveryUserGotEveryEventOnceInOrder(List<FollowingClient> clients, EventStream stream) {
        assertThat(stream.failures()).as("failed POSTs").isZero();
        check(clients, stream::expectedFor, false);
    }

    /**
     * As above, for senders that retried 503s with the same Idempotency-Key ({@code expectedFor}: each
     * user's accepted eventIds, oldest first): a record Kafka took from a request that still got 503
     * is in the stream once more after the retry, at another cursor, with the same eventId. The SDK
     * drops such a copy by eventId, so it is counted (and returned) but not a failure; the same record
     * (cursor) twice still is.
     */
    static int assertEveryUserSawEveryEventOnceInOrder(List<FollowingClient> clients, Function<String, List<String>> expectedFor) {
        return check(clients, expectedFor, true);
    }

    private static int check(List<FollowingClient> clients, Function<String, List<String>> expectedFor, boolean dropRetryCopies) {
        int expectedTotal = clients.stream().mapToInt(c -> expectedFor.apply(c.user()).size()).sum();
        try {
            await().atMost(Duration.ofSeconds(60)).until(
                    () -> clients.stream().mapToInt(c -> new HashSet<>(c.eventIds()).size()).sum() >= expectedTotal);
        }
        catch (ConditionTimeoutException ex) {
            // fall through: the counts below say what is missing
        }
        int losses = 0;
        int duplicates = 0;
        int retryCopies = 0;
        int unexpected = 0;
        int outOfOrder = 0;
        int lossReports = 0;
        for (FollowingClient client : clients) {
            List<String> expected = expectedFor.apply(client.user());
            List<String> got = client.eventIds();
            List<String> shown = List.copyOf(new LinkedHashSet<>(got));
            int repeated = got.size() - shown.size();
            int sameRecord = got.size() - new HashSet<>(client.cursors()).size();
            duplicates += dropRetryCopies ? sameRecord : repeated;
            retryCopies += dropRetryCopies ? repeated - sameRecord : 0;
            List<String> missing = expected.stream().filter(id -> !shown.contains(id)).toList();
            losses += missing.size();
            if (!missing.isEmpty() && lossReports++ < 10) {
                // A tail missing points at a client that is not (re)connected; a hole at a lost delivery.
                System.out.printf("LOST: %s missed %d of %d (first missing #%d, last #%d); on %s, %d welcomes, %d moved, "
                        + "%d going away, last closed %d ms / welcomed %d ms ago%n", client.user(), missing.size(), expected.size(),
                        expected.indexOf(missing.get(0)), expected.indexOf(missing.get(missing.size() - 1)), client.currentUrl(),
                        client.welcomes(), client.moved(), client.goingAway(), ago(client.lastClosedNanos()),
                        ago(client.lastWelcomeNanos()));
                client.trail().forEach(line -> System.out.println("    " + line));
            }
            unexpected += (int) shown.stream().filter(id -> !expected.contains(id)).count();
            if (shown.size() == expected.size() && !shown.equals(expected) && new HashSet<>(shown).equals(new HashSet<>(expected))) {
                outOfOrder++;
            }
        }
        int resyncs = clients.stream().mapToInt(FollowingClient::resyncs).sum();
        System.out.printf("DELIVERY: %d events expected, %d losses, %d duplicates, %d unexpected, %d users out of order, "
                + "%d resyncs%s%n", expectedTotal, losses, duplicates, unexpected, outOfOrder, resyncs,
                dropRetryCopies ? ", " + retryCopies + " copies of retried records dropped by eventId" : "");
        assertThat(losses).as("lost events").isZero();
        assertThat(duplicates).as("duplicate events").isZero();
        assertThat(unexpected).as("events never accepted").isZero();
        assertThat(outOfOrder).as("users who got their events out of order").isZero();
        assertThat(resyncs).as("resyncs").isZero();
        for (FollowingClient client : clients) {
            List<String> got = dropRetryCopies ? List.copyOf(new LinkedHashSet<>(client.eventIds())) : client.eventIds();
            assertThat(got).as(client.user()).containsExactlyElementsOf(expectedFor.apply(client.user()));
        }
        return retryCopies;
    }

    private static long ago(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
