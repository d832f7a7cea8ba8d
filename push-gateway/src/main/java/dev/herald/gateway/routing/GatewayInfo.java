package dev.herald.gateway.routing;

import java.util.Map;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/info} names this gateway's WebSocket URL: the HTTP side (where the info is read)
 * and the WebSocket side listen on different ports, so tools that know a gateway by its HTTP URL
 * (the bench, operators) learn which {@code /v1/route} answers point at it.
 */
@Component
class GatewayInfo implements InfoContributor {

    private final LocalGateway local;

    GatewayInfo(LocalGateway local) {
        this.local = local;
    }

    @Override
    public void contribute(Info.Builder builder) {
        try {
            builder.withDetail("gateway", Map.of("url", local.publicUrl()));
        }
        catch (IllegalStateException ex) {
            // not listening yet: nothing to name
        }
    }
}
