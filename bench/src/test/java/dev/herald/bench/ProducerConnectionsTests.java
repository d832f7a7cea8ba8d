package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

class ProducerConnectionsTests {

    @Test
    void requestIsThePreEncodedHeadWithTheBodysByteLength() {
        byte[] head = ProducerConnections.head(URI.create("http://127.0.0.1:28080"), "/v1/notifications", "k-1");
        String body = "{\"title\":\"é\"}"; // 13 characters, 14 bytes

        ByteBuf request = ProducerConnections.request(UnpooledByteBufAllocator.DEFAULT, head, body);

        assertThat(request.toString(StandardCharsets.UTF_8)).isEqualTo("POST /v1/notifications HTTP/1.1\r\n"
                + "Host: 127.0.0.1:28080\r\nAuthorization: Bearer k-1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 14\r\n\r\n" + body);
        request.release();
    }
}
