package dev.herald.gateway.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which gateway URL owns which partition, as the consumer group's coordinator sees it. Only a
 * stable group answers: during a rebalance an assignment may be half-moved, and a route that is
 * wrong for a moment would send clients back and forth.
 *
 * @param stable whether the group had finished rebalancing when this was read
 * @param owners partition to the public URL of the gateway assigned to it
 */
public record RouteTable(boolean stable, Map<Integer, String> owners) {

    public static final RouteTable UNKNOWN = new RouteTable(false, Map.of());

    public RouteTable {
        owners = Map.copyOf(owners);
    }

    /** A member of the group: its client.id and the partitions of herald.user-events assigned to it. */
    public record Member(String clientId, List<Integer> partitions) {
    }

    public static RouteTable of(boolean stable, List<Member> members) {
        Map<Integer, String> owners = new HashMap<>();
        boolean consistent = stable;
        for (Member member : members) {
            Optional<String> url = GatewayMembers.publicUrl(member.clientId());
            if (url.isEmpty()) {
                continue;
            }
            for (int partition : member.partitions()) {
                // Two owners of one partition can only be a view caught mid-change: trust neither.
                consistent &= owners.put(partition, url.get()) == null;
            }
        }
        return new RouteTable(consistent, owners);
    }

    /** The owner of {@code partition}, or empty while the group rebalances or nobody owns it. */
    public Optional<String> ownerOf(int partition) {
        return stable ? Optional.ofNullable(owners.get(partition)) : Optional.empty();
    }
}
