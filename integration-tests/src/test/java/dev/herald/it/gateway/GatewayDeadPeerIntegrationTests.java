package dev.herald.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.herald.it.support.HeraldStack;
import dev.herald.schema.frames.CloseCodes;

/**
 * Pings detect dead peers: a client that authenticated and then went silent (it never answers the
 * gateway's protocol pings; every real WebSocket client answers them by itself, so this one speaks
 * the protocol over a bare socket) is closed with 1001 after two ping intervals and a send timeout.
 */
class GatewayDeadPeerIntegrationTests {

    @Test
    void aPeerThatStopsAnsweringPingsIsClosed() throws Exception {
        Gateways.shared();
        TestGateway quick = Gateways.startExtra(Map.of("herald.gateway.ping-interval", "1s", "herald.gateway.send-timeout", "1s"));
        try {
            Gateways.awaitStable();
            String user = Gateways.userOnPartition("silent", quick.ownedPartitions().iterator().next());
            URI ws = URI.create(quick.wsUrl());
            try (Socket socket = new Socket(ws.getHost(), ws.getPort())) {
                socket.setSoTimeout(20_000);
                DataInputStream in = new DataInputStream(socket.getInputStream());
                handshake(socket.getOutputStream(), in, ws);
                sendText(socket.getOutputStream(), "{\"type\":\"auth\",\"token\":\"" + HeraldStack.get().tokenFor(user) + "\"}");
                long started = System.nanoTime();

                int[] close = readUntilClose(in);

                assertThat(close[0]).as("close code").isEqualTo(CloseCodes.GOING_AWAY);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
                assertThat(close[1]).as("pings seen before the close").isGreaterThanOrEqualTo(2);
            }
        }
        finally {
            quick.stop();
            Gateways.awaitStable();
        }
    }

    private static void handshake(OutputStream out, DataInputStream in, URI ws) throws IOException {
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        out.write(("GET " + ws.getPath() + " HTTP/1.1\r\nHost: " + ws.getHost() + ":" + ws.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
    }

    /** One masked text frame, as a client must send it. */
    private static void sendText(OutputStream out, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = new byte[4];
        new SecureRandom().nextBytes(mask);
        out.write(0x81);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        }
        else {
            out.write(0x80 | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xff);
        }
        out.write(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        out.flush();
    }

    /** Reads frames, never answering pings, until the close frame: its code, and the pings seen. */
    private static int[] readUntilClose(DataInputStream in) throws IOException {
        int pings = 0;
        while (true) {
            int opcode = in.readUnsignedByte() & 0x0f;
            long length = in.readUnsignedByte() & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            }
            else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = in.readNBytes((int) length);
            if (opcode == 0x9) {
                pings++;
            }
            else if (opcode == 0x8) {
                return new int[] { ((payload[0] & 0xff) << 8) | (payload[1] & 0xff), pings };
            }
        }
    }
}
