package dev.herald.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

/** The probe tells a refusal (proof that nothing listens) from everything else. */
class PeerWatchTests {

    @Test
    void aListeningPortAccepts() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(PeerWatch.probe("ws://127.0.0.1:" + server.getLocalPort() + "/ws")).isEqualTo(PeerWatch.Probe.ACCEPTED);
        }
    }

    @Test
    void aPortNothingListensOnRefuses() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
        }
        assertThat(PeerWatch.probe("ws://127.0.0.1:" + port + "/ws")).isEqualTo(PeerWatch.Probe.REFUSED);
    }

    @Test
    void anUnknownHostOrABadUrlProvesNothing() {
        assertThat(PeerWatch.probe("wss://no-such-host.invalid/ws")).isEqualTo(PeerWatch.Probe.UNKNOWN);
        assertThat(PeerWatch.probe("not a url")).isEqualTo(PeerWatch.Probe.UNKNOWN);
    }
}
