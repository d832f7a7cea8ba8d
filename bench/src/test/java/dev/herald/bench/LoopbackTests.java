package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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
}
