package dev.herald.gateway.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The group timing and peer probe settings: defaults, and what start-up refuses. */
class GatewayPropertiesTests {

    private static GatewayProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("herald.gateway", GatewayProperties.class);
    }

    @Test
    void byDefaultPeersAreProbedAndTheSessionTimeoutIsTheFallback() {
        GatewayProperties defaults = bind(Map.of());
        assertThat(defaults.groupSessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.groupHeartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.peerProbeInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(defaults.peerProbeConfirm()).isEqualTo(Duration.ofMillis(300));
        assertThat(defaults.removesDeadPeers()).isTrue();
        assertThat(defaults.isGroupTimingValid()).isTrue();
        assertThat(defaults.isPeerProbeValid()).isTrue();
    }

    @Test
    void aHeartbeatAboveAThirdOfTheSessionTimeoutIsRefused() {
        assertThat(bind(Map.of("herald.gateway.group-session-timeout", "6s", "herald.gateway.group-heartbeat-interval", "2s"))
                .isGroupTimingValid()).isTrue();
        assertThat(bind(Map.of("herald.gateway.group-session-timeout", "6s", "herald.gateway.group-heartbeat-interval", "3s"))
                .isGroupTimingValid()).isFalse();
        assertThat(bind(Map.of("herald.gateway.group-session-timeout", "500ms", "herald.gateway.group-heartbeat-interval", "100ms"))
                .isGroupTimingValid()).isFalse();
        assertThat(bind(Map.of("herald.gateway.group-heartbeat-interval", "0s")).isGroupTimingValid()).isFalse();
    }

    @Test
    void probingIsOffAtZeroAndRefusedWhenTooFrequentOrTheConfirmationOutOfRange() {
        GatewayProperties off = bind(Map.of("herald.gateway.peer-probe-interval", "0"));
        assertThat(off.isPeerProbeValid()).isTrue();
        assertThat(off.removesDeadPeers()).isFalse();
        assertThat(bind(Map.of("herald.gateway.peer-probe-interval", "50ms")).isPeerProbeValid()).isFalse();
        assertThat(bind(Map.of("herald.gateway.peer-probe-interval", "-1s")).isPeerProbeValid()).isFalse();
        assertThat(bind(Map.of("herald.gateway.peer-probe-confirm", "0s")).isPeerProbeValid()).isFalse();
        assertThat(bind(Map.of("herald.gateway.peer-probe-confirm", "11s")).isPeerProbeValid()).isFalse();
    }
}
