package dev.herald.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class SessionMetricsTests {

    @Test
    void everyLabelTheDashboardsQueryExistsAtZeroFromTheStart() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        new SessionMetrics(meters);

        for (String code : new String[] { "1000", "1001", "1006", "1013", "4001", "4003", "4008", "4029" }) {
            assertThat(meters.get("herald.gateway.sessions.closed").tag("code", code).counter().count()).isZero();
        }
        for (String type : new String[] { "welcome", "notification", "read", "resync", "ping" }) {
            assertThat(meters.get("herald.gateway.frames.delivered").tag("type", type).counter().count()).isZero();
        }
        for (String from : new String[] { "none", "history", "resync" }) {
            assertThat(meters.get("herald.gateway.resumes").tag("from", from).counter().count()).isZero();
        }
        for (String sdk : new String[] { "herald-browser", "other", "none" }) {
            assertThat(meters.get("herald.gateway.sessions.authenticated").tag("sdk", sdk).counter().count()).isZero();
        }
    }

    @Test
    void countsAuthenticatedSessionsByTheirSdkUnderThreeValuesOnly() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SessionMetrics metrics = new SessionMetrics(meters);

        metrics.authenticated("herald-browser/1.0.0");
        metrics.authenticated("herald-browser/2.3.1-beta");
        metrics.authenticated("herald-browser");
        metrics.authenticated("herald-php/0.1.0");
        metrics.authenticated("herald-browserish/1.0.0");
        metrics.authenticated(null);
        metrics.authenticated("");

        assertThat(meters.get("herald.gateway.sessions.authenticated").tag("sdk", "herald-browser").counter().count()).isEqualTo(3);
        assertThat(meters.get("herald.gateway.sessions.authenticated").tag("sdk", "other").counter().count()).isEqualTo(2);
        assertThat(meters.get("herald.gateway.sessions.authenticated").tag("sdk", "none").counter().count()).isEqualTo(2);
        assertThat(meters.find("herald.gateway.sessions.authenticated").counters()).hasSize(3);
    }

    @Test
    void countsWhatHappensUnderTheSameSeries() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SessionMetrics metrics = new SessionMetrics(meters);

        metrics.closed(4008);
        metrics.resumed("resync");
        metrics.written("notification", 0);

        assertThat(meters.get("herald.gateway.sessions.closed").tag("code", "4008").counter().count()).isEqualTo(1);
        assertThat(meters.get("herald.gateway.slow.consumer.closes").counter().count()).isEqualTo(1);
        assertThat(meters.get("herald.gateway.resumes").tag("from", "resync").counter().count()).isEqualTo(1);
        assertThat(meters.get("herald.gateway.frames.delivered").tag("type", "notification").counter().count()).isEqualTo(1);
        assertThat(meters.find("herald.gateway.sessions.closed").counters()).hasSize(11);
    }
}
