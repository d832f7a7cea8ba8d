package dev.herald.it.security;

import static dev.herald.it.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.herald.auth.UserTokens;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.producer.ProducerApiApplication;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What an attacker would try over HTTP. Each case asserts the exact answer, and afterwards that the
 * services are healthy and an honest user lost nothing; at the end, that no token, API key or
 * notification body reached the logs.
 */
@ExtendWith(OutputCaptureExtension.class)
class AbuseIntegrationTests {

    private static final String SECRET_BODY = "secret-body-" + System.nanoTime();

    private static ConfigurableApplicationContext throttled;

    private final HeraldStack stack = HeraldStack.get();
    private String honest;
    private String victim;
    private String victimEventId;

    @BeforeAll
    static void startAProducerWithATightRateLimit() {
        throttled = HeraldStack.start(ProducerApiApplication.class, ProducerApiApplication.CONFIG_NAME,
                Map.of("herald.producer.rate-limit.events-per-second", "5", "herald.producer.rate-limit.burst", "10"));
    }

    @AfterAll
    static void stopIt() {
        throttled.close();
    }

    @BeforeEach
    void anHonestUserAndAVictimHaveNotifications() {
        honest = HeraldStack.newUser("honest");
        victim = HeraldStack.newUser("victim");
        stack.send(honest, "Before the attack");
        victimEventId = send(victim, SECRET_BODY);
        stack.awaitInbox(victim, 1);
    }

    @AfterEach
    void servicesStayHealthyAndHonestUsersLoseNothing(CapturedOutput output) {
        assertThat(Http.get(stack.producerUrl() + "/actuator/health", null).status()).isEqualTo(200);
        assertThat(Http.get(stack.storeUrl() + "/actuator/health", null).status()).isEqualTo(200);
        stack.send(honest, "After the attack");
        assertThat(stack.awaitInbox(honest, 2).get("items")).hasSize(2);
        assertThat(stack.unread(victim)).as("the victim's inbox is untouched").isEqualTo(1);

        assertThat(output.getAll())
                .doesNotContain(HeraldStack.API_KEY)
                .doesNotContain(stack.tokenFor(victim).substring(0, 40))
                .doesNotContain(SECRET_BODY);
    }

    private String send(String user, String body) {
        Http.Response response = Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY,
                Map.of("userId", user, "type", "bank.transfer", "title", "Transfer", "body", body));
        assertThat(response.status()).isEqualTo(202);
        return response.json().get("notifications").get(0).get("eventId").asString();
    }

    @Test
    void anotherUsersNotificationByIdIsNotFound() {
        String attacker = stack.tokenFor(HeraldStack.newUser("attacker"));
        assertProblem(Http.post(stack.storeUrl() + "/v1/me/notifications/" + victimEventId + "/read", attacker, null), 404);
        assertThat(stack.inbox(HeraldStack.newUser("attacker"), "").get("items")).isEmpty();
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        String forged = new UserTokens("an-attackers-own-secret-0123456789abcdef", Clock.systemUTC())
                .mint(victim, Duration.ofMinutes(5)).token();
        assertProblem(Http.get(stack.storeUrl() + "/v1/me/notifications", forged), 401);
    }

    @Test
    void anUnsignedTokenIsRefused() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"sub\":\"" + victim + "\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}")
                .getBytes(StandardCharsets.UTF_8));
        assertProblem(Http.get(stack.storeUrl() + "/v1/me/notifications", header + "." + claims + "."), 401);
    }

    @Test
    void anExpiredTokenIsRefused() {
        String expired = new UserTokens(HeraldStack.JWT_SECRET, Clock.fixed(Instant.now().minusSeconds(3600), ZoneOffset.UTC))
                .mint(victim, Duration.ofMinutes(5)).token();
        Http.Response response = Http.get(stack.storeUrl() + "/v1/me/notifications", expired);
        assertProblem(response, 401);
        assertThat(response.json().get("detail").asString()).contains("expired");
    }

    @Test
    void aUserTokenCannotReadAnotherUsersInboxThroughTheServicePath() {
        String attacker = stack.tokenFor(HeraldStack.newUser("attacker"));
        assertProblem(Http.get(stack.storeUrl() + "/v1/users/" + victim + "/notifications", attacker), 401);
        assertProblem(Http.get(stack.storeUrl() + "/v1/users/" + victim + "/notifications", stack.tokenFor(victim)), 401);
    }

    @Test
    void userTokensAndApiKeysOnlyWorkWhereTheyBelong() {
        assertProblem(Http.post(stack.producerUrl() + "/v1/notifications", stack.tokenFor(victim),
                Map.of("userId", victim, "type", "a.b", "title", "spoof")), 401);
        assertProblem(Http.get(stack.storeUrl() + "/v1/me/notifications", HeraldStack.API_KEY), 401);
    }

    @Test
    void aKeyWithoutTheNeededScopeIsForbidden() {
        Http.Response mint = Http.post(stack.producerUrl() + "/v1/tokens", HeraldStack.SEND_ONLY_API_KEY, Map.of("userId", victim));
        assertProblem(mint, 403);
        assertThat(mint.json().get("detail").asString()).contains("lacks the scope 'tokens'");
        assertProblem(Http.get(stack.storeUrl() + "/v1/users/" + victim + "/notifications", HeraldStack.SEND_ONLY_API_KEY), 403);
        assertProblem(Http.post(stack.storeUrl() + "/v1/users/" + victim + "/notifications/read-all", HeraldStack.SEND_ONLY_API_KEY, null), 403);
        assertThat(Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.SEND_ONLY_API_KEY,
                Map.of("userId", honest, "type", "a.b", "title", "allowed")).status()).isEqualTo(202);
        stack.awaitInbox(honest, 2);
        honest = HeraldStack.newUser("honest");
        stack.send(honest, "Before the attack");
    }

    @Test
    void aTenMegabyteBodyIsRefusedWithoutReadingIt() {
        byte[] huge = new byte[10 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'x');
        assertProblem(Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY, huge), 413);
    }

    @Test
    void jsonNestedThousandsDeepIsRefused() {
        String deep = "{\"userId\":\"u\",\"type\":\"a.b\",\"title\":\"t\",\"data\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5001);
        Http.Response response = Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY, deep);
        assertProblem(response, 400);
        assertThat(response.json().get("errors").get(0).get("message").asString()).contains("nested deeper than");
    }

    @Test
    void unknownFieldsAreRefused() {
        Http.Response response = Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY,
                Map.of("userId", victim, "type", "a.b", "title", "t", "source", "bank"));
        assertProblem(response, 400);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("source");
    }

    @Test
    void aFloodFromOneKeyIsThrottledWith429() {
        String url = HeraldStack.baseUrl(throttled) + "/v1/notifications";
        int accepted = 0;
        Http.Response refused = null;
        for (int i = 0; i < 30 && refused == null; i++) {
            Http.Response response = Http.post(url, HeraldStack.API_KEY, Map.of("userId", honest, "type", "spam.flood", "title", "#" + i));
            if (response.status() == 202) {
                accepted++;
            }
            else {
                refused = response;
            }
        }
        assertThat(accepted).as("the burst is let through").isGreaterThanOrEqualTo(10).isLessThan(30);
        assertProblem(refused, 429);
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();
        assertThat(Http.get(HeraldStack.baseUrl(throttled) + "/actuator/health", null).status()).isEqualTo(200);
        // The flood's accepted part is delivered; the @AfterEach check counts on exactly 2 of the honest user's own.
        stack.awaitInbox(honest, 1 + accepted);
        honest = HeraldStack.newUser("honest");
        stack.send(honest, "Before the attack");
    }
}
