package dev.herald.gateway.routing;

import dev.herald.gateway.system.GatewayProperties;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/** This gateway's public URL: configured, or derived from the port the web server bound. */
@Component
public class LocalGateway {

    private final GatewayProperties properties;
    private final ApplicationContext context;
    private volatile String publicUrl;

    LocalGateway(GatewayProperties properties, ApplicationContext context) {
        this.properties = properties;
        this.context = context;
    }

    /** Only valid once the web server runs (the consumer starts after it). */
    public String publicUrl() {
        String url = publicUrl;
        if (url == null) {
            if (properties.publicUrl() != null && !properties.publicUrl().isBlank()) {
                url = properties.publicUrl();
            }
            else if (context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
                url = (servesTls() ? "wss://" : "ws://") + properties.advertisedHost() + ":" + web.getWebServer().getPort() + "/ws";
            }
            else {
                throw new IllegalStateException("set herald.gateway.public-url (no web server to derive it from)");
            }
            publicUrl = url;
        }
        return url;
    }

    private boolean servesTls() {
        var environment = context.getEnvironment();
        return environment.containsProperty("server.ssl.bundle")
                || environment.getProperty("server.ssl.enabled", Boolean.class, false);
    }
}
