package dev.herald.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.herald.it.support.Http;
import dev.herald.schema.frames.CloseCodes;

/** A gateway holds at most herald.gateway.max-sessions connections; more are told to try again later. */
class GatewayLimitsIntegrationTests {

    @Test
    void connectionsBeyondTheGatewayLimitAreClosedWithTryAgainLater() {
        Gateways.shared();
        TestGateway small = Gateways.startExtra(Map.of("herald.gateway.max-sessions", "3"));
        try {
            List<WsClient> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(WsClient.connect(small.wsUrl()));
            }

            WsClient.Closed refused = WsClient.connect(small.wsUrl()).awaitClose();

            assertThat(refused.code()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
            assertThat(refused.reason()).contains("maximum of 3 connections");
            assertThat(held).noneMatch(WsClient::isClosed);
            held.forEach(WsClient::close);
            assertThat(Http.get(small.baseUrl() + "/actuator/health/liveness", null).status()).isEqualTo(200);
        }
        finally {
            small.stop();
            Gateways.awaitStable();
        }
    }
}
