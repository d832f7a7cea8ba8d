package dev.herald.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import dev.herald.schema.UserPartitioner;

class RouteTableTests {

    private static final String A = "ws://a:8082/ws";
    private static final String B = "ws://b:8082/ws";

    @Test
    void stableGroupMapsEachPartitionToTheUrlInItsOwnersClientId() {
        RouteTable routes = RouteTable.of(true, List.of(
                new RouteTable.Member(GatewayMembers.clientId(A), List.of(0, 2)),
                new RouteTable.Member(GatewayMembers.clientId(B), List.of(1))));

        assertThat(routes.ownerOf(0)).contains(A);
        assertThat(routes.ownerOf(1)).contains(B);
        assertThat(routes.ownerOf(2)).contains(A);
        assertThat(routes.ownerOf(3)).isEmpty();
    }

    @Test
    void rebalancingGroupHasNoRoutes() {
        RouteTable routes = RouteTable.of(false, List.of(new RouteTable.Member(GatewayMembers.clientId(A), List.of(0))));

        assertThat(routes.ownerOf(0)).isEmpty();
    }

    @Test
    void partitionClaimedTwiceIsTreatedAsMidRebalance() {
        RouteTable routes = RouteTable.of(true, List.of(
                new RouteTable.Member(GatewayMembers.clientId(A), List.of(0)),
                new RouteTable.Member(GatewayMembers.clientId(B), List.of(0, 1))));

        assertThat(routes.ownerOf(1)).isEmpty();
    }

    @Test
    void membersThatAreNotGatewaysAreIgnored() {
        RouteTable routes = RouteTable.of(true, List.of(new RouteTable.Member("some-tool", List.of(0))));

        assertThat(routes.ownerOf(0)).isEmpty();
    }

    @Test
    void clientIdCarriesThePublicUrlBothWays() {
        assertThat(GatewayMembers.publicUrl(GatewayMembers.clientId(A))).contains(A);
        assertThat(GatewayMembers.publicUrl("herald-gateway@")).isEmpty();
        assertThat(GatewayMembers.publicUrl(null)).isEmpty();
    }

    @Test
    void userPartitionIsThePartitionTheKafkaProducerPicksForTheUserKey() {
        for (int i = 0; i < 1_000; i++) {
            String user = "user-" + i;
            int producers = BuiltInPartitioner.partitionForKey(user.getBytes(StandardCharsets.UTF_8), 12);

            assertThat(UserPartitioner.partitionOf(user, 12)).as(user).isEqualTo(producers);
        }
    }
}
