package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LoopbackTests {

    @Test
    void rewritesLoopbackNamesToIpv4() {
        assertThat(Loopback.toLoopback("ws://localhost:8083/ws").toString()).isEqualTo("ws://127.0.0.1:8083/ws");
    }

    @Test
    void refusesOtherAddresses() {
        assertThatIllegalArgumentException().isThrownBy(() -> Loopback.toLoopback("http://192.0.2.7:8080"))
                .withMessageContaining("127.0.0.0/8");
    }

    @Test
    void connectionsLeaveFromSeveralLoopbackSourceAddresses() {
        Set<String> sources = new HashSet<>();
        for (int n = 0; n < 3 * Loopback.SOURCES; n++) {
            var source = Loopback.source(n);
            assertThat(source.getAddress().isLoopbackAddress()).isTrue();
            assertThat(source.getPort()).as("any free port").isZero();
            sources.add(source.getAddress().getHostAddress());
        }
        assertThat(sources).hasSize(Loopback.SOURCES);
    }

    @Test
    void targetTakesTheUrlsPortOrTheSchemesDefault() {
        assertThat(Loopback.target(URI.create("ws://127.0.0.1:9001/ws")).getPort()).isEqualTo(9001);
        assertThat(Loopback.target(URI.create("ws://127.0.0.1/ws")).getPort()).isEqualTo(80);
    }
}
