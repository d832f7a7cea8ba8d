package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** A session against a scripted server on an {@link EmbeddedChannel}: upgrade, auth, welcome, frames. */
class BenchSessionTests {

    private static final Pattern KEY = Pattern.compile("(?i)sec-websocket-key: (\\S+)");

    private final Deliveries deliveries = new Deliveries();
    private BenchSession session;
    private EmbeddedChannel channel;
    /** Decodes what the session sends (masked client frames). */
    private final EmbeddedChannel server = new EmbeddedChannel(new WebSocket13FrameDecoder(true, false, 1 << 16));

    @BeforeEach
    void upgrade() throws Exception {
        upgrade(null);
    }

    /** A new session, following {@code channelName} if not null, upgraded by the scripted server. */
    private void upgrade(String channelName) throws Exception {
        session = new BenchSession(7, channelName, deliveries, URI.create("ws://127.0.0.1:9/ws"), "tok.en");
        channel = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(8192), session);
        String request = drainText();
        Matcher key = KEY.matcher(request);
        assertThat(key.find()).as(request).isTrue();
        assertThat(request).startsWith("GET /ws HTTP/1.1").doesNotContainIgnoringCase("origin:");
        String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                .digest((key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n", StandardCharsets.US_ASCII));
        channel.runPendingTasks();
    }

    @Test
    void sendsTheAuthFrameAfterTheUpgradeAndIsWelcomed() {
        assertThat(sentText()).isEqualTo("{\"type\":\"auth\",\"token\":\"tok.en\"}");
        assertThat(session.ready).isNotDone();

        receive(new TextWebSocketFrame("{\"type\":\"welcome\",\"partition\":3,\"cursor\":\"3-0\"}"));

        assertThat(session.ready).isCompletedWithValue(session);
    }

    @Test
    void answersJsonPingsWithPong() {
        sentText(); // auth
        receive(new TextWebSocketFrame("{\"type\":\"ping\"}"));

        assertThat(sentText()).isEqualTo("{\"type\":\"pong\"}");
    }

    @Test
    void countsEachSequenceNumberOnceAndLaterRepeatsAsDuplicates() {
        receive(new TextWebSocketFrame(notification(0)));
        receive(new TextWebSocketFrame(notification(1)));
        receive(new TextWebSocketFrame(notification(1)));

        assertThat(session.unique()).isEqualTo(2);
        assertThat(session.duplicates()).isEqualTo(1);
        assertThat(deliveries.current().delivered.sum()).isEqualTo(2);
        assertThat(deliveries.current().duplicates.sum()).isEqualTo(1);
    }

    @Test
    void anEventArrivingAfterALaterOneIsReorderedNotLostNorADuplicate() {
        // Two POSTs for one user in flight together: producer-api may accept the second first.
        receive(new TextWebSocketFrame(notification(1)));
        receive(new TextWebSocketFrame(notification(0)));
        receive(new TextWebSocketFrame(notification(0)));

        assertThat(session.unique()).isEqualTo(2);
        assertThat(session.reordered()).isEqualTo(1);
        assertThat(session.duplicates()).isEqualTo(1);
    }

    @Test
    void recordsTheServersCloseCode() {
        receive(new CloseWebSocketFrame(4401, "token expired"));

        assertThat(session.closeCode).isEqualTo(4401);
        assertThat(session.ready).isCompletedExceptionally();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aConnectionLostWithoutCloseFrameIsAbnormal() {
        channel.close();

        assertThat(session.closeCode).isEqualTo(BenchSession.ABNORMAL);
        assertThat(session.ready).isCompletedExceptionally();
    }

    @Test
    void aChannelSessionSubscribesAfterTheWelcomeAndIsReadyAtTheSubscribed() throws Exception {
        upgrade("bench:fan");
        sentText(); // auth
        receive(new TextWebSocketFrame("{\"type\":\"welcome\",\"partition\":3,\"cursor\":\"3-0\"}"));

        assertThat(sentText()).isEqualTo("{\"type\":\"subscribe\",\"channel\":\"bench:fan\",\"since\":null}");
        assertThat(session.ready).isNotDone();

        receive(new TextWebSocketFrame("{\"type\":\"subscribed\",\"channel\":\"bench:fan\",\"cursor\":\"2-17@ep\",\"replay\":0}"));

        assertThat(session.ready).isCompletedWithValue(session);
    }

    @Test
    void aChannelSessionCountsTheChannelsMessagesAndIgnoresItsUsersNotifications() throws Exception {
        upgrade("bench:fan");
        receive(new TextWebSocketFrame(message(0)));
        receive(new TextWebSocketFrame(message(1)));
        receive(new TextWebSocketFrame(message(1)));
        receive(new TextWebSocketFrame(notification(2)));

        assertThat(session.unique()).isEqualTo(2);
        assertThat(session.duplicates()).isEqualTo(1);
        assertThat(deliveries.current().delivered.sum()).isEqualTo(2);
    }

    @Test
    void subscribesAgainWhileTheGatewayIsNotReadingChannelsYet() throws Exception {
        upgrade("bench:fan");
        sentText(); // auth
        receive(new TextWebSocketFrame("{\"type\":\"welcome\",\"partition\":3,\"cursor\":\"3-0\"}"));
        sentText(); // subscribe

        receive(new TextWebSocketFrame("{\"type\":\"error\",\"code\":\"channels-unavailable\",\"message\":\"starting\","
                + "\"channel\":\"bench:fan\"}"));
        channel.advanceTimeBy(500, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(sentText()).isEqualTo("{\"type\":\"subscribe\",\"channel\":\"bench:fan\",\"since\":null}");
        assertThat(session.ready).isNotDone();
    }

    @Test
    void aRefusedSubscriptionFailsTheSessionWithTheGatewaysReason() throws Exception {
        upgrade("bench:fan");
        receive(new TextWebSocketFrame("{\"type\":\"welcome\",\"partition\":3,\"cursor\":\"3-0\"}"));

        receive(new TextWebSocketFrame("{\"type\":\"error\",\"code\":\"channel-forbidden\",\"message\":\"no\","
                + "\"channel\":\"bench:fan\"}"));

        assertThat(session.ready).isCompletedExceptionally();
        assertThatThrownBy(session.ready::join).hasMessageContaining("channel-forbidden");
        assertThat(channel.isOpen()).isFalse();
    }

    private static String message(int seq) {
        String posted = Payload.channelMessage(seq, 1_000);
        String data = posted.substring(posted.indexOf("\"data\":") + 7, posted.length() - 1);
        return "{\"type\":\"message\",\"channel\":\"bench:fan\",\"cursor\":\"2-" + seq + "@ep\",\"event\":{\"eventId\":\"m-"
                + seq + "\",\"type\":\"bench.fan\",\"title\":\"Bench " + seq + "\",\"body\":\"\",\"data\":" + data
                + ",\"occurredAt\":\"2026-12-01T10:00:00Z\",\"acceptedAt\":\"2026-12-01T10:00:00Z\",\"source\":\"dev\"}}";
    }

    private static String notification(int seq) {
        String event = Payload.notification("bench-x-7", seq, 1_000);
        return "{\"type\":\"notification\",\"cursor\":\"3-" + seq + "\",\"event\":" + event + "}";
    }

    /** Writes a server frame (unmasked) into the session's channel. */
    private void receive(WebSocketFrame frame) {
        EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        encoder.writeOutbound(frame);
        ByteBuf bytes;
        while ((bytes = encoder.readOutbound()) != null) {
            channel.writeInbound(bytes);
        }
        channel.runPendingTasks();
    }

    /** The next text frame the session sent. */
    private String sentText() {
        ByteBuf bytes;
        while ((bytes = channel.readOutbound()) != null) {
            server.writeInbound(bytes);
        }
        WebSocketFrame frame = server.readInbound();
        assertThat(frame).isInstanceOf(TextWebSocketFrame.class);
        try {
            return ((TextWebSocketFrame) frame).text();
        }
        finally {
            frame.release();
        }
    }

    private String drainText() {
        StringBuilder text = new StringBuilder();
        ByteBuf bytes;
        while ((bytes = channel.readOutbound()) != null) {
            text.append(bytes.toString(StandardCharsets.US_ASCII));
            bytes.release();
        }
        return text.toString();
    }
}
