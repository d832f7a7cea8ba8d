package dev.herald.it.gateway;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.herald.gateway.PushGatewayApplication;
import dev.herald.gateway.ownership.Ownership;
import dev.herald.gateway.routing.LocalGateway;
import dev.herald.it.support.HeraldStack;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * One push gateway running in this JVM on free ports (HTTP and WebSocket); its public URL is
 * derived from the WebSocket port.
 * The settings keep the tests quick: a short auth timeout, a small outbound buffer (so a client
 * that stops reading overflows it soon) and a history big enough to resume a few hundred events.
 */
public final class TestGateway {

    static final Map<String, Object> TEST_SETTINGS = Map.of(
            "herald.gateway.websocket-port", "0",
            "herald.gateway.history-size", "1000",
            "herald.gateway.auth-timeout", "1s",
            "herald.gateway.session-buffer-size", "256KB",
            "herald.gateway.send-timeout", "5s",
            "herald.gateway.ping-interval", "5s",
            "herald.gateway.max-sessions-per-user", "5",
            "herald.gateway.route-cache-ttl", "200ms",
            // On here (off by default), so that every gateway test also runs the receipts path.
            "herald.gateway.receipts.enabled", "true");

    private final ConfigurableApplicationContext context;
    private final String baseUrl;
    private final String wsUrl;
    private volatile boolean running = true;

    private TestGateway(ConfigurableApplicationContext context) {
        this.context = context;
        this.baseUrl = HeraldStack.baseUrl(context);
        this.wsUrl = context.getBean(LocalGateway.class).publicUrl();
    }

    public static TestGateway start() {
        return start(Map.of());
    }

    public static TestGateway start(Map<String, Object> overrides) {
        HeraldStack.get();
        Map<String, Object> settings = new HashMap<>(TEST_SETTINGS);
        settings.putAll(overrides);
        return new TestGateway(HeraldStack.start(PushGatewayApplication.class, PushGatewayApplication.CONFIG_NAME, settings));
    }

    /** Closes the gateway's context the way a SIGTERM would. */
    public void stop() {
        running = false;
        context.close();
    }

    public boolean isRunning() {
        return running;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String wsUrl() {
        return wsUrl;
    }

    public Set<Integer> ownedPartitions() {
        return context.getBean(Ownership.class).ownedPartitions();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public String toString() {
        return wsUrl;
    }
}
