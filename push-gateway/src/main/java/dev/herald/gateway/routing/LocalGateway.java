package dev.herald.gateway.routing;

import dev.herald.gateway.system.GatewayProperties;

import org.springframework.stereotype.Component;

/** This gateway's identity: its public URL (configured, or derived from the port the WebSocket server bound) and its instance id. */
@Component
public class LocalGateway {

    private final GatewayProperties properties;
    private final String instanceId = GatewayMembers.newInstanceId();
    private volatile String derivedUrl;

    LocalGateway(GatewayProperties properties) {
        this.properties = properties;
    }

    /** This process's {@code group.instance.id} (see {@link GatewayMembers#newInstanceId}). */
    public String instanceId() {
        return instanceId;
    }

    /** The WebSocket server listens on {@code port} (serving wss:// if {@code tls}). */
    public void webSocketBound(int port, boolean tls) {
        derivedUrl = (tls ? "wss://" : "ws://") + properties.advertisedHost() + ":" + port + "/ws";
    }

    /** Only valid once the WebSocket server runs (the consumer starts after it). */
    public String publicUrl() {
        if (properties.publicUrl() != null && !properties.publicUrl().isBlank()) {
            return properties.publicUrl();
        }
        String url = derivedUrl;
        if (url == null) {
            throw new IllegalStateException("set herald.gateway.public-url (the WebSocket server is not listening yet)");
        }
        return url;
    }
}
