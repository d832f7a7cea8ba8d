package dev.herald.gateway.session;

import io.micrometer.core.instrument.MeterRegistry;

import dev.herald.auth.UserTokens;
import dev.herald.gateway.delivery.PartitionRegistry;
import dev.herald.gateway.routing.GroupOwnership;
import dev.herald.gateway.routing.LocalGateway;
import dev.herald.gateway.system.GatewayProperties;
import dev.herald.support.HeraldWebProperties;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** {@code /ws}; see {@link WebSocketContainerLimits} for the frame size limit. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    private final HeraldWebProperties web;
    private final GatewayHandler handler;

    WebSocketConfiguration(GatewayProperties properties, HeraldWebProperties web, UserTokens tokens, PartitionRegistry registry,
            GroupOwnership ownership, LocalGateway local, SessionExecutors executors, MeterRegistry meters) {
        this.web = web;
        this.handler = new GatewayHandler(properties, tokens, registry, ownership, local, executors, meters);
    }

    /**
     * Browsers may open {@code /ws} from the pages of {@code herald.cors.allowed-origins} (the same
     * list as the REST APIs) or from the gateway's own origin; clients that send no Origin
     * (servers, apps) are not browsers and are not restricted by it.
     */
    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/ws").setAllowedOriginPatterns(web.allowedOrigins().toArray(String[]::new));
    }
}
