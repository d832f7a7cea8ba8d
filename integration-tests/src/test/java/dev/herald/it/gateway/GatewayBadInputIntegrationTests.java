package dev.herald.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.herald.auth.UserTokens;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.schema.frames.ClientFrame;
import dev.herald.schema.frames.CloseCodes;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;

/** What a misbehaving client gets, and that the gateway serves everyone else as before. */
class GatewayBadInputIntegrationTests {

    private final HeraldStack stack = HeraldStack.get();
    private TestGateway gateway;

    @BeforeAll
    static void gateways() {
        Gateways.shared();
    }

    private WsClient connect() {
        gateway = Gateways.running().get(0);
        return WsClient.connect(gateway.wsUrl());
    }

    @AfterEach
    void gatewayStaysHealthyAndServesOthers() {
        Http.Response health = Http.get(gateway.baseUrl() + "/actuator/health", null);
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");

        String user = HeraldStack.newUser("fine");
        WsClient client = WsClient.open(Gateways.ownerOf(user).wsUrl(), stack.tokenFor(user), null);
        client.awaitFrame(ServerFrame.Welcome.class);
        Notifications.Accepted sent = Notifications.post(user, "Still fine");
        assertThat(client.awaitNotifications(1).get(0).event().eventId()).isEqualTo(sent.eventId());
        client.close();
    }

    @Test
    void connectionWithoutAnAuthFrameIsClosedAfterTheTimeout() {
        WsClient client = connect();

        WsClient.Closed closed = client.awaitClose();

        assertThat(closed.code()).isEqualTo(CloseCodes.UNAUTHORIZED);
        assertThat(closed.reason()).contains("no auth frame");
    }

    @Test
    void malformedJsonIsClosedAsInvalidPayload() {
        WsClient client = connect();

        client.send("{\"type\":\"auth\",");

        WsClient.Closed closed = client.awaitClose();
        assertThat(closed.code()).isEqualTo(CloseCodes.INVALID_PAYLOAD);
        assertThat(closed.reason()).contains("not valid JSON");
    }

    @Test
    void forgedTokenIsRefusedWith4003() {
        UserTokens forger = new UserTokens("a-different-secret-that-is-long-enough-0123456789", Clock.systemUTC());
        WsClient client = connect();

        client.auth(forger.mint("mallory", Duration.ofMinutes(5)).token(), null);

        WsClient.Closed closed = client.awaitClose();
        assertThat(closed.code()).isEqualTo(CloseCodes.UNAUTHORIZED);
        assertThat(closed.reason()).contains("not signed with");
    }

    @Test
    void expiredTokenIsRefusedWith4003() {
        Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        String expired = new UserTokens(HeraldStack.JWT_SECRET, anHourAgo).mint("ivan", Duration.ofMinutes(5)).token();
        WsClient client = connect();

        client.auth(expired, null);

        WsClient.Closed closed = client.awaitClose();
        assertThat(closed.code()).isEqualTo(CloseCodes.UNAUTHORIZED);
        assertThat(closed.reason()).contains("expired");
    }

    @Test
    void firstFrameThatIsNotAuthIsRefusedWith4003() {
        WsClient client = connect();

        client.send(Frames.encode(new ClientFrame.Ping()));

        assertThat(client.awaitClose().code()).isEqualTo(CloseCodes.UNAUTHORIZED);
    }

    @Test
    void malformedSinceCursorIsClosedAsInvalidPayload() {
        WsClient client = connect();

        client.auth(stack.tokenFor(HeraldStack.newUser("judy")), "yesterday");

        WsClient.Closed closed = client.awaitClose();
        assertThat(closed.code()).isEqualTo(CloseCodes.INVALID_PAYLOAD);
        assertThat(closed.reason()).contains("cursor");
    }

    @Test
    void anSdkThatIsNotAShortStringIsClosedAsInvalidPayload() {
        String token = stack.tokenFor(HeraldStack.newUser("kim"));
        for (String sdk : new String[] { "7", "{\"name\":\"x\"}", "\"" + "x".repeat(ClientFrame.Auth.MAX_SDK_LENGTH + 1) + "\"" }) {
            WsClient client = connect();

            client.send("{\"type\":\"auth\",\"token\":\"" + token + "\",\"sdk\":" + sdk + "}");

            WsClient.Closed closed = client.awaitClose();
            assertThat(closed.code()).as(sdk).isEqualTo(CloseCodes.INVALID_PAYLOAD);
            assertThat(closed.reason()).as(sdk).contains("'sdk'");
        }
    }

    @Test
    void oversizedFrameIsClosedAsTooBig() {
        WsClient client = connect();

        client.send("{\"type\":\"auth\",\"token\":\"" + "x".repeat(20_000) + "\"}");

        assertThat(client.awaitClose().code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    void binaryFrameIsClosedAsUnsupported() {
        WsClient client = connect();

        client.sendBinary(new byte[] { 1, 2, 3 });

        assertThat(client.awaitClose().code()).isEqualTo(CloseCodes.UNSUPPORTED_DATA);
    }

    @Test
    void unknownFrameTypeAfterAuthGetsAnErrorFrameAndTheSessionStaysOpen() {
        String user = HeraldStack.newUser("kim");
        gateway = Gateways.ownerOf(user);
        WsClient client = WsClient.open(gateway.wsUrl(), stack.tokenFor(user), null);
        client.awaitFrame(ServerFrame.Welcome.class);

        client.send("{\"type\":\"publish\",\"channel\":\"everything\"}");

        ServerFrame.Error error = client.awaitFrame(ServerFrame.Error.class);
        assertThat(error.code()).isEqualTo("unknown-type");
        client.send(Frames.encode(new ClientFrame.Ping()));
        client.awaitFrame(ServerFrame.Pong.class);
        Notifications.Accepted sent = Notifications.post(user, "Still open");
        assertThat(client.awaitNotifications(1).get(0).event().eventId()).isEqualTo(sent.eventId());
        assertThat(client.isClosed()).isFalse();
        client.close();
    }
}
