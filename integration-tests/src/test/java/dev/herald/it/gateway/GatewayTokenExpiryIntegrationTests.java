package dev.herald.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.herald.auth.UserTokens;
import dev.herald.it.support.HeraldStack;
import dev.herald.schema.frames.ClientFrame;
import dev.herald.schema.frames.CloseCodes;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;

/**
 * An open session is only as valid as its token: it is closed with 4003 when the token expires,
 * unless the client sent a fresh token for the same user in a {@code refresh} frame first.
 */
class GatewayTokenExpiryIntegrationTests {

    private final HeraldStack stack = HeraldStack.get();
    private final UserTokens tokens = new UserTokens(HeraldStack.JWT_SECRET, Clock.systemUTC());

    /** The first session of a JVM waits for the gateways to warm their partitions; keep that out of the timings. */
    @BeforeAll
    static void warmUp() {
        Gateways.shared();
        Gateways.awaitStable();
        String user = HeraldStack.newUser("warm");
        WsClient client = WsClient.open(Gateways.ownerOf(user).wsUrl(), HeraldStack.get().tokenFor(user), null);
        client.awaitFrame(ServerFrame.Welcome.class);
        client.close();
    }

    private WsClient open(String user, Duration ttl) {
        WsClient client = WsClient.open(Gateways.ownerOf(user).wsUrl(), tokens.mint(user, ttl).token(), null);
        client.awaitFrame(ServerFrame.Welcome.class);
        return client;
    }

    @Test
    void aSessionIsClosedWhenItsTokenExpires() {
        String user = HeraldStack.newUser("expiring");
        long opened = System.nanoTime();
        WsClient client = open(user, Duration.ofSeconds(4));

        WsClient.Closed closed = client.awaitClose();

        assertThat(closed.code()).isEqualTo(CloseCodes.UNAUTHORIZED);
        assertThat(closed.reason()).contains("expired");
        assertThat(Duration.ofNanos(System.nanoTime() - opened)).isLessThan(Duration.ofSeconds(7));
    }

    @Test
    void aRefreshFrameKeepsTheSessionOpenPastTheFirstExpiry() {
        String user = HeraldStack.newUser("refreshing");
        WsClient client = open(user, Duration.ofSeconds(4));

        client.send(Frames.encode(new ClientFrame.Refresh(tokens.mint(user, Duration.ofMinutes(5)).token())));
        await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(7)).until(() -> true);

        assertThat(client.isClosed()).as("open after the first token expired").isFalse();
        stack.send(user, "Still here");
        assertThat(client.awaitNotifications(1).get(0).event().title()).isEqualTo("Still here");
        client.close();
    }

    @Test
    void aRefreshWithAnotherUsersTokenClosesTheSession() {
        String user = HeraldStack.newUser("victim");
        WsClient client = open(user, Duration.ofMinutes(5));

        client.send(Frames.encode(new ClientFrame.Refresh(tokens.mint(HeraldStack.newUser("mallory"), Duration.ofMinutes(5)).token())));

        assertThat(client.awaitClose().code()).isEqualTo(CloseCodes.UNAUTHORIZED);
    }

    @Test
    void anInvalidRefreshIsAnErrorFrameAndTheSessionGoesOn() {
        String user = HeraldStack.newUser("clumsy");
        WsClient client = open(user, Duration.ofMinutes(5));

        client.send(Frames.encode(new ClientFrame.Refresh("not-a-token")));

        assertThat(client.awaitFrame(ServerFrame.Error.class).code()).isEqualTo("invalid-token");
        assertThat(client.isClosed()).isFalse();
        client.close();
    }
}
