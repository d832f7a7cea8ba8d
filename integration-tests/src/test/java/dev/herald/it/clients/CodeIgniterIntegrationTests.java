package dev.herald.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.Ports;

/**
 * A real CodeIgniter 4 application using the package as Composer installs it: the framework
 * (codeigniter4/framework 4.1.3, from the npm package {@code codeigniter4}, whose tree is that
 * release's), {@code herald/herald-php} from a path repository with Packagist off
 * ({@code clients/php/tests/codeigniter/make-app.sh}). Auto-discovery finds the spark commands,
 * {@code service('herald')} and the {@code herald} helper; they run against the real services.
 */
class CodeIgniterIntegrationTests {

    /** The newest CodeIgniter 4 on a registry this build reaches (Packagist is not one). */
    private static final String FRAMEWORK = "codeigniter4@4.1.3";
    private static final Path WORK = Path.of("target", "codeigniter").toAbsolutePath();
    private static final Path APP = WORK.resolve("app");
    private static final String GATEWAY_URL = "http://127.0.0.1:8082";
    private static final String WEBHOOK_SECRET = "it-ci4-webhook-secret-0123456789";

    private final HeraldStack stack = HeraldStack.get();

    @BeforeAll
    static void buildTheApp() throws Exception {
        assumeTrue(Files.isExecutable(PhpProcess.PHP), "php-cli is not installed (Debian packages php-cli and php-curl)");
        String npm = PhpProcess.require("npm", "npm");
        PhpProcess.require("composer", "composer");
        Files.createDirectories(WORK);
        PhpProcess.Result packed = PhpProcess.run(WORK, Map.of(), 300, List.of(npm, "pack", FRAMEWORK, "--pack-destination", WORK.toString()));
        assertThat(packed.exit()).as(packed.toString()).isZero();
        Path tgz = WORK.resolve(packed.out().strip().lines().reduce((first, last) -> last).orElseThrow());
        PhpProcess.Result made = PhpProcess.run(WORK, Map.of(), 300, List.of("bash",
                PhpProcess.CLIENT.resolve("tests/codeigniter/make-app.sh").toString(), tgz.toString(), APP.toString()));
        assertThat(made.exit()).as(made.toString()).isZero();
        assertThat(APP.resolve("vendor/herald/herald-php")).isSymbolicLink();
    }

    /** The URLs from .env (herald.*), the key from the environment (HERALD_API_KEY): both ways of Config\Herald. */
    private void configure() throws Exception {
        Files.writeString(APP.resolve(".env"), String.join("\n",
                "CI_ENVIRONMENT = production",
                "herald.producerUrl = " + stack.producerUrl(),
                "herald.storeUrl = " + stack.storeUrl(),
                "herald.gatewayUrl = " + GATEWAY_URL,
                "herald.webhookSecret = " + WEBHOOK_SECRET,
                ""));
    }

    private PhpProcess.Result spark(String apiKey, String... args) throws Exception {
        configure();
        List<String> command = new ArrayList<>(List.of(PhpProcess.PHP.toString(), "spark", "--no-header"));
        command.addAll(List.of(args));
        return PhpProcess.run(APP, Map.of("HERALD_API_KEY", apiKey), 60, command);
    }

    @Test
    void sparkListsTheDiscoveredCommands() throws Exception {
        PhpProcess.Result listed = spark(HeraldStack.API_KEY, "list");

        assertThat(listed.exit()).as(listed.toString()).isZero();
        assertThat(listed.out()).contains("herald:notify", "herald:token");
    }

    @Test
    void sparkNotifySendsWhatWasTypedOnceForOneKey() throws Exception {
        String user = HeraldStack.newUser("ci4");
        String title = "It's <here> & \"now\"";

        PhpProcess.Result sent = spark(HeraldStack.API_KEY, "herald:notify", user, "order.shipped", title, "Order 42",
                "--data", "{\"orderId\":42}", "--key", "ci4-" + user);
        PhpProcess.Result again = spark(HeraldStack.API_KEY, "herald:notify", user, "order.shipped", title, "Order 42",
                "--data", "{\"orderId\":42}", "--key", "ci4-" + user);

        assertThat(sent.exit()).as(sent.toString()).isZero();
        assertThat(again.exit()).as(again.toString()).isZero();
        JsonNode answer = Http.JSON.readTree(sent.out().strip());
        assertThat(answer.get(0).get("userId").asString()).isEqualTo(user);
        assertThat(Http.JSON.readTree(again.out().strip()).get(0).get("eventId").asString()).isEqualTo(answer.get(0).get("eventId").asString());
        JsonNode item = stack.awaitInbox(user, 1).get("items").get(0);
        assertThat(item.get("eventId").asString()).isEqualTo(answer.get(0).get("eventId").asString());
        assertThat(item.get("title").asString()).isEqualTo(title);
        assertThat(item.get("body").asString()).isEqualTo("Order 42");
        assertThat(item.get("data").get("orderId").asInt()).isEqualTo(42);
    }

    @Test
    void sparkTokenMintsATokenThatTheStoreAccepts() throws Exception {
        String user = HeraldStack.newUser("ci4");

        PhpProcess.Result minted = spark(HeraldStack.API_KEY, "herald:token", user, "--ttl", "120", "--channels", "ci4:*");

        assertThat(minted.exit()).as(minted.toString()).isZero();
        String token = Http.JSON.readTree(minted.out().strip()).get("token").asString();
        JsonNode claims = claims(token);
        assertThat(claims.get("sub").asString()).isEqualTo(user);
        assertThat(claims.get("channels").get(0).asString()).isEqualTo("ci4:*");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(120);
        assertThat(Http.get(stack.storeUrl() + "/v1/me/notifications", token).status()).isEqualTo(200);
    }

    @Test
    void sparkReportsARefusalOnStderrWithExitStatusOne() throws Exception {
        PhpProcess.Result refused = spark("not-the-key", "herald:notify", "someone", "chat.message", "Nope");

        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out() + refused.err()).contains("Herald refused (401)", "API key is not valid");
    }

    @Test
    void aViewWithHeraldInboxGetsTheComponentWithAFreshTokenForTheUser() throws Exception {
        String user = HeraldStack.newUser("ci4");
        try (Served app = Served.start(this)) {
            HttpResponse<String> response = app.get("/inbox/" + user);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            String html = response.body();
            assertThat(html).contains("<script type=\"module\" src=\"" + stack.storeUrl() + "/sdk/herald-inbox.js\"></script><herald-inbox store-url=\""
                    + stack.storeUrl() + "\" gateway-url=\"" + GATEWAY_URL + "\" token=\"");
            assertThat(html).contains("data-test=\"inbox &quot;quoted&quot; &amp; &lt;escaped&gt;\"></herald-inbox>");
            assertThat(html).doesNotContain(HeraldStack.API_KEY);
            String token = tokenIn(html);
            assertThat(claims(token).get("sub").asString()).isEqualTo(user);
            assertThat(Http.get(stack.storeUrl() + "/v1/me/notifications", token).status()).isEqualTo(200);
        }
    }

    @Test
    void heraldInboxWithoutAUserIdIsTheSignedInUsersOrNothing() throws Exception {
        String user = HeraldStack.newUser("ci4");
        try (Served app = Served.start(this)) {
            HttpResponse<String> signedOut = app.get("/inbox");
            HttpResponse<String> signingIn = app.get("/inbox?as=" + user);
            HttpResponse<String> signedIn = app.get("/inbox");

            assertThat(signedOut.statusCode()).as(signedOut.body()).isEqualTo(200);
            assertThat(signedOut.body()).contains("Sign in to see your notifications.").doesNotContain("<herald-inbox");
            assertThat(claims(tokenIn(signingIn.body())).get("sub").asString()).isEqualTo(user);
            String token = tokenIn(signedIn.body());
            assertThat(claims(token).get("sub").asString()).as("the user of the session").isEqualTo(user);
            assertThat(Http.get(stack.storeUrl() + "/v1/me/notifications", token).status()).isEqualTo(200);
        }
    }

    @Test
    void theReceiptsControllerTakesASignedAlertOnceAndRefusesAForgedOne() throws Exception {
        String deliveryId = java.util.UUID.randomUUID().toString();
        String body = "{\"deliveryId\":\"" + deliveryId + "\",\"kind\":\"not_delivered\",\"userId\":\"ci4-user\","
                + "\"eventId\":\"e-1\",\"source\":\"shop\",\"type\":\"order.shipped\",\"title\":\"Shipped\","
                + "\"acceptedAt\":\"2026-12-03T12:00:00Z\",\"deliveredAt\":null}";
        long now = System.currentTimeMillis() / 1000;
        try (Served served = Served.start(this)) {
            assertThat(served.post("/herald/receipts", body, signature(body, now, WEBHOOK_SECRET)).statusCode()).isEqualTo(204);
            assertThat(served.post("/herald/receipts", body, signature(body, now, WEBHOOK_SECRET)).statusCode())
                    .as("Herald's retry of the same delivery").isEqualTo(204);
            HttpResponse<String> forged = served.post("/herald/receipts", body.replace("ci4-user", "mallory"),
                    signature(body, now, WEBHOOK_SECRET));
            assertThat(forged.statusCode()).isEqualTo(400);
            assertThat(forged.body()).contains("does not match");
            assertThat(served.post("/herald/receipts", body, signature(body, now - 600, WEBHOOK_SECRET)).statusCode())
                    .as("too old").isEqualTo(400);
        }
        Path stored = APP.resolve("writable/herald-alerts/" + deliveryId + ".json");
        assertThat(stored).as("handled once").exists();
        assertThat(Files.readString(stored)).isEqualTo(body);
    }

    /** Herald-Signature as notification-store makes it: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">. */
    private static String signature(String body, long unixSeconds, String secret) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "t=" + unixSeconds + ",v1="
                + java.util.HexFormat.of().formatHex(mac.doFinal((unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    /** The app under {@code php spark serve} on a free port (not 8080: producer-api's), with a cookie jar. */
    private record Served(Process serve, int port, HttpClient client) implements AutoCloseable {

        static Served start(CodeIgniterIntegrationTests test) throws Exception {
            test.configure();
            int port = Ports.free();
            ProcessBuilder builder = new ProcessBuilder(PhpProcess.PHP.toString(), "spark", "serve", "--host", "127.0.0.1", "--port", String.valueOf(port))
                    .directory(APP.toFile()).redirectErrorStream(true)
                    .redirectOutput(WORK.resolve("serve.log").toFile());
            builder.environment().put("HERALD_API_KEY", HeraldStack.API_KEY);
            Served served = new Served(builder.start(), port,
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).cookieHandler(new CookieManager()).build());
            try {
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> served.get("/inbox").statusCode() > 0);
            }
            catch (RuntimeException | Error e) {
                served.close();
                throw e;
            }
            return served;
        }

        HttpResponse<String> post(String path, String json, String signature) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Herald-Signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }

                HttpResponse<String> get(String path) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() {
            // spark serve runs php -S through a shell: end the whole tree.
            serve.descendants().forEach(ProcessHandle::destroy);
            serve.destroy();
        }
    }

    private static String tokenIn(String html) {
        Matcher token = Pattern.compile("<herald-inbox [^>]*token=\"([^\"]+)\"").matcher(html);
        assertThat(token.find()).as("a <herald-inbox> with a token in\n%s", html).isTrue();
        return token.group(1);
    }

    private static JsonNode claims(String jwt) {
        return Http.JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
