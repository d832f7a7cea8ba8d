package dev.herald.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import tools.jackson.databind.JsonNode;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;

/**
 * The PHP client ({@code clients/php}) with the real php-cli against the running services: its
 * examples send a notification that lands in the inbox, mint a token that the store accepts and
 * report a refusal clearly; and its PHPUnit suite (unit tests, and integration tests against these
 * services) passes whole, every test it lists run and none skipped.
 */
class PhpClientIntegrationTests {

    private static final Path PHP = Path.of("/usr/bin/php");
    private static final Path EXAMPLES = Path.of("..", "clients", "php", "examples").toAbsolutePath().normalize();

    private final HeraldStack stack = HeraldStack.get();

    @BeforeAll
    static void needsPhp() {
        assumeTrue(Files.isExecutable(PHP), "php-cli is not installed (Debian packages php-cli and php-curl)");
    }

    @Test
    void phpunitSuitePassesAgainstTheServices() throws Exception {
        String phpunit = PhpProcess.require("phpunit", "phpunit");
        Path report = Path.of("target", "php", "phpunit.xml").toAbsolutePath();
        Files.createDirectories(report.getParent());
        Files.deleteIfExists(report);
        Map<String, String> environment = Map.of(
                "HERALD_PRODUCER_URL", stack.producerUrl(),
                "HERALD_STORE_URL", stack.storeUrl(),
                "HERALD_API_KEY", HeraldStack.API_KEY,
                "HERALD_SEND_ONLY_API_KEY", HeraldStack.SEND_ONLY_API_KEY);

        PhpProcess.Result listed = PhpProcess.run(PhpProcess.CLIENT, environment, 60, List.of(phpunit, "--list-tests"));
        PhpProcess.Result run = PhpProcess.run(PhpProcess.CLIENT, environment, 300,
                List.of(phpunit, "--log-junit", report.toString()));

        assertThat(run.exit()).as(run.toString()).isZero();
        long listedTests = listed.out().lines().filter(line -> line.startsWith(" - Herald\\Tests\\")).count();
        Matcher ok = Pattern.compile("^OK \\((\\d+) tests?, (\\d+) assertions?\\)$", Pattern.MULTILINE).matcher(run.out());
        assertThat(ok.find()).as("PHPUnit's closing line, without skipped or risky tests:\n%s", run.out()).isTrue();
        assertThat(Long.parseLong(ok.group(1))).as("tests run").isEqualTo(listedTests);
        Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile()).getDocumentElement();
        NodeList suites = root.getElementsByTagName("testsuite");
        for (String name : List.of("unit", "integration")) {
            Element suite = null;
            for (int i = 0; i < suites.getLength(); i++) {
                if (name.equals(((Element) suites.item(i)).getAttribute("name"))) {
                    suite = (Element) suites.item(i);
                }
            }
            assertThat(suite).as("the %s suite in %s", name, report).isNotNull();
            assertThat(Integer.parseInt(suite.getAttribute("tests"))).as("%s tests", name).isGreaterThanOrEqualTo(10);
            assertThat(List.of(suite.getAttribute("failures"), suite.getAttribute("errors"), suite.getAttribute("skipped")))
                    .as("%s failures, errors, skipped", name).containsOnly("0");
        }
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
