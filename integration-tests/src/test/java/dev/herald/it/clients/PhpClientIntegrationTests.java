package dev.herald.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;

/**
 * The PHP helper that the CodeIgniter example uses ({@code clients/php}), run with the real php-cli
 * against the running services: it sends a notification that lands in the inbox, mints a token
 * that the store accepts, and reports a refusal clearly.
 */
class PhpClientIntegrationTests {

    private static final Path PHP = Path.of("/usr/bin/php");
    private static final Path EXAMPLES = Path.of("..", "clients", "php", "examples").toAbsolutePath().normalize();

    private final HeraldStack stack = HeraldStack.get();

    @BeforeAll
    static void needsPhp() {
        assumeTrue(Files.isExecutable(PHP), "php-cli is not installed (Debian packages php-cli and php-curl)");
    }

    private Result php(String apiKey, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PHP.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(EXAMPLES.toFile());
        builder.environment().put("HERALD_PRODUCER_URL", stack.producerUrl());
        builder.environment().put("HERALD_API_KEY", apiKey);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        String err = new String(process.getErrorStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out, err);
    }

    record Result(int exit, String out, String err) {
    }

    @Test
    void sendsANotificationThatLandsInTheInbox() throws Exception {
        String user = HeraldStack.newUser("php");
        Result sent = php(HeraldStack.API_KEY, "notify.php", user, "Shipped from PHP", "Order 42 is on its way");

        assertThat(sent.exit()).as(sent.err()).isZero();
        JsonNode answer = Http.JSON.readTree(sent.out());
        assertThat(answer.get(0).get("userId").asString()).isEqualTo(user);
        JsonNode item = stack.awaitInbox(user, 1).get("items").get(0);
        assertThat(item.get("eventId").asString()).isEqualTo(answer.get(0).get("eventId").asString());
        assertThat(item.get("title").asString()).isEqualTo("Shipped from PHP");
        assertThat(item.get("data").get("via").asString()).isEqualTo("php");
    }

    @Test
    void mintsATokenThatTheStoreAccepts() throws Exception {
        String user = HeraldStack.newUser("php");
        Result minted = php(HeraldStack.API_KEY, "token.php", user, "120");

        assertThat(minted.exit()).as(minted.err()).isZero();
        String token = Http.JSON.readTree(minted.out()).get("token").asString();
        assertThat(Http.get(stack.storeUrl() + "/v1/me/notifications", token).status()).isEqualTo(200);
    }

    @Test
    void reportsARefusalWithItsStatusAndReason() throws Exception {
        Result refused = php("not-the-key", "notify.php", "someone", "Nope");

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("Herald refused (401)", "API key is not valid");
    }
}
