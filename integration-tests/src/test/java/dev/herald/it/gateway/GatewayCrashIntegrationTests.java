package dev.herald.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.herald.gateway.routing.LocalGateway;
import dev.herald.it.support.Scrape;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.Topics;

/**
 * A gateway process is SIGKILLed while 200 users receive a steady stream: it closes no session and
 * never leaves the group. Its clients must resume on the survivors, and every user must still get
 * every accepted event exactly once and in order. Prints kill → resumed (median and last of the
 * killed gateway's clients); the bound asserted is loose, the figure is what to read. And the
 * price of a mistake: a live gateway removed from the group is fenced, rejoins by itself, and its
 * clients lose nothing either.
 */
class GatewayCrashIntegrationTests {

    private static final int USERS = 200;

    private final List<FollowingClient> clients = new ArrayList<>();
    private EventStream stream;

    @AfterEach
    void stopClients() {
        if (stream != null) {
            stream.stop();
        }
        clients.forEach(FollowingClient::stop);
        Gateways.awaitStable();
    }

    @Test
    void aKilledGatewaysClientsResumeOnTheSurvivorsWithoutLossOrDuplicate() {
        Gateways.shared();
        try (GatewayProcess doomed = GatewayProcess.start(Map.of())) {
            Gateways.awaitStable(Set.of(doomed.wsUrl()));
            FollowingClient.startAll("crash", USERS, Gateways::running, clients);
            stream = EventStream.start(clients.stream().map(FollowingClient::user).toList(), 5, 20);
            awaitPosted(500);

            List<FollowingClient> victims = clients.stream().filter(c -> doomed.wsUrl().equals(c.currentUrl())).toList();
            assertThat(victims).as("clients of the gateway to kill").isNotEmpty();
            double removedBefore = peersRemoved();
            long killAt = System.nanoTime();
            Instant killedAt = Instant.now();
            doomed.kill();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> victims.stream().allMatch(c -> c.lastWelcomeNanos() > killAt));
            awaitPosted(stream.posted() + 500);
            stream.stop();

            Deliveries.assertEveryUserGotEveryEventOnceInOrder(clients, stream);
            long[] resumed = victims.stream().mapToLong(c -> (c.lastWelcomeNanos() - killAt) / 1_000_000).sorted().toArray();
            long median = resumed[resumed.length / 2];
            long last = resumed[resumed.length - 1];
            System.out.printf("CRASH: %d of %d clients were on the killed gateway (killed at %s); kill -> resumed median %d ms, "
                    + "last %d ms; %d events posted%n", victims.size(), USERS, killedAt, median, last, stream.posted());
            assertThat(clients).allSatisfy(c -> assertThat(c.currentUrl()).isNotEqualTo(doomed.wsUrl()));
            // The survivors proved it dead and removed it, rather than waiting for its session timeout.
            assertThat(peersRemoved()).as("herald_gateway_peers_removed_total of the survivors").isGreaterThan(removedBefore);
            // Loose on purpose (machines vary); the figure printed above is the one to compare.
            assertThat(Duration.ofMillis(last)).isLessThanOrEqualTo(Duration.ofSeconds(15));
        }
    }

    @Test
    void aLiveGatewayRemovedFromTheGroupByMistakeRejoinsWithoutLossOrDuplicate() throws Exception {
        Gateways.shared();
        TestGateway removed = Gateways.startExtra();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            Gateways.awaitStable();
            String instanceId = removed.bean(LocalGateway.class).instanceId();
            String memberBefore = memberIdOf(admin, instanceId).orElseThrow();
            FollowingClient.startAll("fenced", USERS / 2, Gateways::running, clients);
            stream = EventStream.start(clients.stream().map(FollowingClient::user).toList(), 5, 20);
            awaitPosted(300);

            admin.removeMembersFromConsumerGroup(Topics.GATEWAY_GROUP,
                    new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove(instanceId)))).all().get();
            // Fenced, it rejoins under the same instance id as a new member and owns partitions again.
            await().atMost(Duration.ofSeconds(30)).until(
                    () -> memberIdOf(admin, instanceId).filter(id -> !id.equals(memberBefore)).isPresent());
            Gateways.awaitStable();
            assertThat(removed.ownedPartitions()).isNotEmpty();
            awaitPosted(stream.posted() + 500);
            stream.stop();

            Deliveries.assertEveryUserGotEveryEventOnceInOrder(clients, stream);
        }
        finally {
            clients.forEach(FollowingClient::stop);
            removed.stop();
        }
    }

    private static Optional<String> memberIdOf(Admin admin, String instanceId) throws Exception {
        return admin.describeConsumerGroups(List.of(Topics.GATEWAY_GROUP)).all().get().get(Topics.GATEWAY_GROUP).members()
                .stream().filter(m -> m.groupInstanceId().filter(instanceId::equals).isPresent())
                .map(MemberDescription::consumerId).findFirst();
    }

    /** The survivors' count of peers removed from the group (exported from start-up, at 0). */
    private static double peersRemoved() {
        double sum = 0;
        for (TestGateway gateway : Gateways.running()) {
            Scrape scrape = Scrape.of(gateway.baseUrl());
            assertThat(scrape.has("herald_gateway_peers_removed_total")).as(gateway + " exports peers_removed").isTrue();
            sum += scrape.sum("herald_gateway_peers_removed_total");
        }
        return sum;
    }

    private void awaitPosted(int count) {
        await().atMost(Duration.ofSeconds(120)).until(() -> stream.posted() >= count);
    }
}
