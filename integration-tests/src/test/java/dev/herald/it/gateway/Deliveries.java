package dev.herald.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.awaitility.core.ConditionTimeoutException;

/** What the failover tests assert of a stream: every user got every accepted event once, in order. */
final class Deliveries {

    private Deliveries() {
    }

    /** Waits (up to 60 s) for every accepted event to arrive, prints the counts, then asserts them. */
    static void assertEveryUserGotEveryEventOnceInOrder(List<FollowingClient> clients, EventStream stream) {
        assertThat(stream.failures()).as("failed POSTs").isZero();
        int expectedTotal = clients.stream().mapToInt(c -> stream.expectedFor(c.user()).size()).sum();
        try {
            await().atMost(Duration.ofSeconds(60)).until(
                    () -> clients.stream().mapToInt(c -> c.eventIds().size()).sum() >= expectedTotal);
        }
        catch (ConditionTimeoutException ex) {
            // fall through: the counts below say what is missing
        }
        int losses = 0;
        int duplicates = 0;
        int outOfOrder = 0;
        for (FollowingClient client : clients) {
            List<String> expected = stream.expectedFor(client.user());
            List<String> got = client.eventIds();
            Set<String> distinct = new HashSet<>(got);
            duplicates += got.size() - distinct.size();
            losses += (int) expected.stream().filter(id -> !distinct.contains(id)).count();
            if (got.size() == expected.size() && distinct.size() == got.size() && !got.equals(expected)) {
                outOfOrder++;
            }
        }
        int resyncs = clients.stream().mapToInt(FollowingClient::resyncs).sum();
        System.out.printf("DELIVERY: %d events expected, %d losses, %d duplicates, %d users out of order, %d resyncs%n",
                expectedTotal, losses, duplicates, outOfOrder, resyncs);
        assertThat(losses).as("lost events").isZero();
        assertThat(duplicates).as("duplicate events").isZero();
        assertThat(outOfOrder).as("users who got their events out of order").isZero();
        assertThat(resyncs).as("resyncs").isZero();
        for (FollowingClient client : clients) {
            assertThat(client.eventIds()).as(client.user()).containsExactlyElementsOf(stream.expectedFor(client.user()));
        }
    }
}
