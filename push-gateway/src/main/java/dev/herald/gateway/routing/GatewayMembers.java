package dev.herald.gateway.routing;

import java.util.Optional;
import java.util.UUID;

/**
 * How a gateway names itself in the consumer group: its Kafka {@code client.id} carries its public
 * URL, so the group's own membership (read with the Admin client) says which URL owns which
 * partition, with no second store to keep in step. Its {@code group.instance.id} (static membership,
 * when dead peers are removed) is new in every process: a restarted gateway is a new member, never
 * one that takes over a dead one's identity, so removing a dead instance id can never fence a live
 * gateway that merely reuses it.
 */
public final class GatewayMembers {

    static final String PREFIX = "herald-gateway@";

    private GatewayMembers() {
    }

    /** A {@code group.instance.id} of this process's own (Kafka allows letters, digits, '.', '_', '-'). */
    public static String newInstanceId() {
        return "herald-gateway-" + UUID.randomUUID();
    }

    public static String clientId(String publicUrl) {
        return PREFIX + publicUrl;
    }

    /** The public URL of a member, or empty for a member that is not a gateway (e.g. a tool). */
    public static Optional<String> publicUrl(String clientId) {
        if (clientId == null || !clientId.startsWith(PREFIX) || clientId.length() == PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(clientId.substring(PREFIX.length()));
    }
}
