package dev.herald.gateway.routing;

import java.util.Optional;

/**
 * How a gateway names itself in the consumer group: its Kafka {@code client.id} carries its public
 * URL, so the group's own membership (read with the Admin client) says which URL owns which
 * partition, with no second store to keep in step.
 */
public final class GatewayMembers {

    static final String PREFIX = "herald-gateway@";

    private GatewayMembers() {
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
