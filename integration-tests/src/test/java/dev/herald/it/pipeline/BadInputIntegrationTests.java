package dev.herald.it.pipeline;

import static dev.herald.it.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.herald.auth.UserTokens;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;

/**
 * Every kind of bad input gets a clear 4xx problem+json naming what is wrong, never a 500, and
 * nothing is half-applied (invariant 7).
 */
class BadInputIntegrationTests {

    private final HeraldStack stack = HeraldStack.get();

    private Http.Response post(Object body) {
        return Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY, body);
    }

    private static Map<String, Object> valid() {
        Map<String, Object> body = new HashMap<>();
        body.put("userId", HeraldStack.newUser("x"));
        body.put("type", "order.shipped");
        body.put("title", "Shipped");
        return body;
    }

    @Test
    void missingTypeIsNamed() {
        Map<String, Object> body = valid();
        body.remove("type");
        assertProblem(post(body), 400, "type");
    }

    @Test
    void malformedTypeIsNamed() {
        Map<String, Object> body = valid();
        body.put("type", "Order Shipped!");
        assertProblem(post(body), 400, "type");
    }

    @Test
    void emptyRecipientsAreRefused() {
        Map<String, Object> body = valid();
        body.remove("userId");
        body.put("recipients", List.of());
        assertProblem(post(body), 400, "recipients");
    }

    @Test
    void moreThanAThousandRecipientsAreRefused() {
        Map<String, Object> body = valid();
        body.remove("userId");
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            recipients.add("user-" + i);
        }
        body.put("recipients", recipients);
        assertProblem(post(body), 400, "recipients");
    }

    @Test
    void dataThatIsNotAnObjectIsRefused() {
        Map<String, Object> body = valid();
        body.put("data", List.of(1, 2));
        assertProblem(post(body), 400, "data");
    }

    @Test
    void unknownTopLevelFieldsAreNamed() {
        Map<String, Object> body = valid();
        body.put("priority", "high");
        body.put("colour", "red");
        assertProblem(post(body), 400, "priority", "colour");
    }

    @Test
    void everyBadFieldOfABatchIsNamedWithItsIndexAndNothingIsSent() {
        String user = HeraldStack.newUser("batch");
        Map<String, Object> good = Map.of("userId", user, "type", "a.b", "title", "fine");
        Map<String, Object> bad = Map.of("userId", user, "type", "a.b", "title", "");
        Http.Response response = Http.post(stack.producerUrl() + "/v1/notifications/batch", HeraldStack.API_KEY,
                Map.of("notifications", List.of(good, bad, Map.of("userId", user))));
        assertProblem(response, 400, "notifications[1].title", "notifications[2].type", "notifications[2].title");
        assertThat(stack.inbox(user, "").get("items")).isEmpty();
    }

    @Test
    void malformedJsonIsRefused() {
        assertProblem(post("{\"userId\": "), 400, "$");
        assertProblem(post("[]"), 400, "$");
    }

    @Test
    void anExplicitEventIdNeedsASingleRecipient() {
        Map<String, Object> body = valid();
        body.remove("userId");
        body.put("recipients", List.of("a", "b"));
        body.put("eventId", "my-id");
        assertProblem(post(body), 400, "eventId");
    }

    @Test
    void malformedCursorIsNamed() {
        String user = HeraldStack.newUser("cur");
        assertProblem(Http.get(stack.storeUrl() + "/v1/me/notifications?before=yesterday", stack.tokenFor(user)), 400, "before");
        assertProblem(Http.get(stack.storeUrl() + "/v1/me/notifications?after=1-x", stack.tokenFor(user)), 400, "after");
        assertProblem(Http.get(stack.storeUrl() + "/v1/me/notifications?limit=0", stack.tokenFor(user)), 400, "limit");
        assertProblem(Http.get(stack.storeUrl() + "/v1/me/notifications?status=new", stack.tokenFor(user)), 400, "status");
    }

    @Test
    void bodiesOverTheLimitGet413() {
        Map<String, Object> body = valid();
        body.put("body", "x".repeat(300 * 1024));
        assertProblem(post(body), 413);
    }

    @Test
    void requestsWithoutOrWithAWrongApiKeyGet401() {
        Http.Response none = Http.post(stack.producerUrl() + "/v1/notifications", null, valid());
        Http.Response wrong = Http.post(stack.producerUrl() + "/v1/notifications", "not-the-key", valid());
        assertProblem(none, 401);
        assertProblem(wrong, 401);
        assertThat(wrong.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertProblem(Http.get(stack.storeUrl() + "/v1/users/someone/notifications", "not-the-key"), 401);
    }

    @Test
    void missingExpiredOrForgedUserTokensGet401() {
        String user = HeraldStack.newUser("tok");
        String expired = new UserTokens(HeraldStack.JWT_SECRET, Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC))
                .mint(user, Duration.ofMinutes(5)).token();
        String forged = new UserTokens("someone-elses-secret-0123456789abcdef", Clock.systemUTC())
                .mint(user, Duration.ofMinutes(5)).token();
        String url = stack.storeUrl() + "/v1/me/notifications";

        assertProblem(Http.get(url, null), 401);
        Http.Response expiredResponse = Http.get(url, expired);
        assertProblem(expiredResponse, 401);
        assertThat(expiredResponse.json().get("detail").asString()).contains("expired");
        assertProblem(Http.get(url, forged), 401);
        assertProblem(Http.get(url, HeraldStack.API_KEY), 401);
    }

    @Test
    void anotherUsersOrAMissingNotificationIs404() {
        String owner = HeraldStack.newUser("own");
        String intruder = HeraldStack.newUser("int");
        String eventId = stack.send(owner, "Private");
        stack.awaitInbox(owner, 1);

        assertProblem(Http.post(stack.storeUrl() + "/v1/me/notifications/" + eventId + "/read", stack.tokenFor(intruder), null), 404);
        assertProblem(Http.post(stack.storeUrl() + "/v1/me/notifications/no-such-id/read", stack.tokenFor(owner), null), 404);
        assertThat(stack.unread(owner)).isEqualTo(1);
    }

    @Test
    void tokenRequestsAreValidatedAndTheTokenWorks() {
        assertProblem(Http.post(stack.producerUrl() + "/v1/tokens", HeraldStack.API_KEY, Map.of("userId", "u", "ttlSeconds", 0)),
                400, "ttlSeconds");
        assertProblem(Http.post(stack.producerUrl() + "/v1/tokens", HeraldStack.API_KEY, Map.of("ttlSeconds", 60)), 400, "userId");

        String user = HeraldStack.newUser("minted");
        Http.Response minted = Http.post(stack.producerUrl() + "/v1/tokens", HeraldStack.API_KEY, Map.of("userId", user, "ttlSeconds", 120));
        assertThat(minted.status()).as(minted.toString()).isEqualTo(200);
        assertThat(Instant.parse(minted.json().get("expiresAt").asString())).isBetween(Instant.now(), Instant.now().plusSeconds(121));
        assertThat(Http.get(stack.storeUrl() + "/v1/me/notifications", minted.json().get("token").asString()).status()).isEqualTo(200);
    }

    @Test
    void tokensGrantTheChannelPatternsAskedForAndBadPatternsAreNamed() {
        String tokens = stack.producerUrl() + "/v1/tokens";
        assertProblem(Http.post(tokens, HeraldStack.API_KEY, Map.of("userId", "u", "channels", List.of("system", "Order*"))),
                400, "channels[1]");
        assertProblem(Http.post(tokens, HeraldStack.API_KEY, Map.of("userId", "u", "channels", "system")), 400, "channels");

        Http.Response minted = Http.post(tokens, HeraldStack.API_KEY, Map.of("userId", "u", "channels", List.of("system", "order:*")));

        assertThat(minted.status()).as(minted.toString()).isEqualTo(200);
        assertThat(new UserTokens(HeraldStack.JWT_SECRET, Clock.systemUTC()).verify(minted.json().get("token").asString())
                .channels()).containsExactly("system", "order:*");
    }
}
