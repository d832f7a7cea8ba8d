package dev.herald.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Browser pages may open {@code /ws} only from the origins of {@code herald.cors.allowed-origins}:
 * any other Origin is refused at the handshake with 403; a client that sends no Origin is no
 * browser page and is let in.
 */
class GatewayOriginIntegrationTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestGateway gateway;

    @BeforeAll
    static void aGatewayThatAllowsOneOrigin() {
        Gateways.shared();
        gateway = Gateways.startExtra(Map.of("herald.cors.allowed-origins", "https://app.example.com"));
    }

    @AfterAll
    static void stop() {
        gateway.stop();
        Gateways.awaitStable();
    }

    private static WebSocket open(String origin) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            builder.header("Origin", origin);
        }
        return builder.buildAsync(URI.create(gateway.wsUrl()), new WebSocket.Listener() { })
                .orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void aPageOfAnotherOriginIsRefusedWith403() {
        Throwable refused = catchThrowable(() -> open("https://evil.example"));

        assertThat(refused).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(403);
    }

    @Test
    void aPageOfAnAllowedOriginConnects() {
        WebSocket socket = open("https://app.example.com");

        assertThat(socket.isInputClosed()).isFalse();
        socket.abort();
    }

    @Test
    void aClientWithoutAnOriginConnects() {
        WebSocket socket = open(null);

        assertThat(socket.isInputClosed()).isFalse();
        socket.abort();
    }
}
