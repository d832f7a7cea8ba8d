package dev.herald.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import tools.jackson.databind.JsonNode;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.gateway.TestGateway;
import dev.herald.it.support.Chromium;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.PageServer;
import dev.herald.it.support.Http;
import dev.herald.it.support.Problems;
import dev.herald.it.support.Scrape;

/**
 * The browser SDK as its users get it: the npm tarball that clients/browser's build packed
 * (installed into a project of its own, its exports resolving to files it holds, with types), its
 * ES modules imported in real headless Chromium through an import map, and the IIFE loaded with a
 * script tag from notification-store's {@code /sdk/<version>/}; each receives a notification posted
 * to producer-api, and the gateway counts the sessions as {@code sdk=herald-browser}. Also what the
 * store's {@code /sdk/} answers: cache headers, ETags, 404 problems. Needs Node and npm (the build
 * does too), and Debian's chromium and chromium-driver for the browser part (skipped without them).
 */
class NpmPackageIntegrationTests {

    private static final Path BROWSER_CLIENT = Path.of("..", "clients", "browser").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target", "npm-package").toAbsolutePath();
    private static final Duration ARRIVES_WITHIN = Duration.ofSeconds(10);

    private static String version;
    private static Path tarball;
    private static Path project;
    private static Path installed;
    private static HttpServer pages;

    @BeforeAll
    static void installTheTarballIntoAProjectOfItsOwn() throws IOException, InterruptedException {
        version = Http.JSON.readTree(BROWSER_CLIENT.resolve("package.json").toFile()).get("version").asString();
        tarball = BROWSER_CLIENT.resolve("target").resolve("herald-browser-" + version + ".tgz");
        assertThat(tarball).as("clients/browser's build packs it (npm pack); built with -Dnpm.skip?").isRegularFile();
        deleteTree(WORK);
        project = Files.createDirectories(WORK.resolve("consumer"));
        Files.writeString(project.resolve("package.json"), "{\"name\":\"consumer\",\"private\":true,\"type\":\"module\"}\n");
        // It has no dependencies: nothing to fetch, so it installs offline.
        run(project, "npm", "install", "--offline", "--no-audit", "--no-fund", "--no-package-lock", tarball.toString());
        installed = project.resolve("node_modules").resolve("@herald").resolve("browser");
    }

    @AfterAll
    static void stopPages() {
        if (pages != null) {
            pages.stop(0);
        }
    }

    @Test
    void theTarballHoldsThePackageItsExportsNameAndNothingElse() throws Exception {
        List<String> entries = List.of(run(WORK, "tar", "-tzf", tarball.toString()).split("\n"));
        assertThat(entries).allMatch(entry -> entry.startsWith("package/"))
                .contains("package/package.json", "package/README.md", "package/src/herald.js", "package/src/version.js",
                        "package/dist/herald.iife.js", "package/dist/types/herald.d.ts")
                .noneMatch(entry -> entry.startsWith("package/test") || entry.startsWith("package/node_modules")
                        || entry.startsWith("package/dist/sdk") || entry.endsWith("build.mjs") || entry.endsWith("package-lock.json"));

        JsonNode manifest = Http.JSON.readTree(installed.resolve("package.json").toFile());
        assertThat(manifest.get("name").asString()).isEqualTo("@herald/browser");
        assertThat(manifest.has("dependencies")).as("no runtime dependencies").isFalse();
        assertThat(installed.resolve(manifest.get("types").asString()).normalize()).isRegularFile();
        for (var export : manifest.get("exports").properties()) {
            List<String> targets = new ArrayList<>();
            if (export.getValue().isString()) {
                targets.add(export.getValue().asString());
            }
            else {
                export.getValue().forEach(target -> targets.add(target.asString()));
                assertThat(export.getValue().has("types")).as(export.getKey() + " has types").isTrue();
            }
            for (String target : targets) {
                Path file = installed.resolve(target).normalize();
                assertThat(file).as("exports[" + export.getKey() + "] -> " + target).startsWith(installed).isRegularFile();
            }
        }
        assertThat(Files.readString(installed.resolve("dist/types/herald.d.ts"))).contains("export class Herald");

        // Node resolves the package through its exports, and only them.
        String resolved = run(project, "node", "--input-type=module", "-e", """
                const sdk = await import('@herald/browser');
                let deep;
                try { import.meta.resolve('@herald/browser/src/cursor.js'); deep = 'resolved'; }
                catch (error) { deep = error.code; }
                console.log(JSON.stringify({ keys: Object.keys(sdk), main: import.meta.resolve('@herald/browser'),
                  manifest: import.meta.resolve('@herald/browser/package.json'), deep }));
                """);
        JsonNode answer = Http.JSON.readTree(resolved);
        assertThat(answer.get("keys").valueStream().map(JsonNode::asString)).contains("Herald", "parseCursor", "SubscriptionStates");
        assertThat(answer.get("main").asString()).endsWith("/node_modules/@herald/browser/src/herald.js");
        assertThat(answer.get("manifest").asString()).endsWith("/node_modules/@herald/browser/package.json");
        assertThat(answer.get("deep").asString()).isEqualTo("ERR_PACKAGE_PATH_NOT_EXPORTED");
    }

    @Test
    void theStoreServesTheSdkCachedByVersionWithEtagsAndProblemsForAnythingElse() throws Exception {
        String store = HeraldStack.get().storeUrl();
        Http.Response versioned = Http.get(store + "/sdk/" + version + "/herald.js", null);
        assertThat(versioned.status()).isEqualTo(200);
        assertThat(versioned.raw().body()).isEqualTo(Files.readString(installed.resolve("src/herald.js")));
        assertThat(versioned.header("Content-Type")).isEqualTo("text/javascript;charset=utf-8");
        assertThat(versioned.header("Cache-Control")).isEqualTo("max-age=31536000, public, immutable");
        assertThat(versioned.header("Access-Control-Allow-Origin")).isEqualTo("*");
        String etag = versioned.header("ETag");
        assertThat(etag).matches("\"[A-Za-z0-9_-]{16,}\"");
        // Every module herald.js imports is served beside it, and the IIFE too.
        for (String file : List.of("channels.js", "connection.js", "cursor.js", "inbox.js", "version.js", "herald.iife.js")) {
            Http.Response served = Http.get(store + "/sdk/" + version + "/" + file, null);
            assertThat(served.status()).as(file).isEqualTo(200);
            Path packaged = file.endsWith(".iife.js") ? installed.resolve("dist").resolve(file) : installed.resolve("src").resolve(file);
            assertThat(served.raw().body()).as(file).isEqualTo(Files.readString(packaged));
        }

        Http.Response latest = Http.get(store + "/sdk/herald.iife.js", null);
        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.header("Cache-Control")).isEqualTo("max-age=60, must-revalidate");
        assertThat(latest.header("Content-Type")).isEqualTo("text/javascript;charset=utf-8");

        HttpResponse<String> unchanged = get(store + "/sdk/" + version + "/herald.js", "If-None-Match", etag);
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(unchanged.headers().firstValue("ETag")).hasValue(etag);
        assertThat(get(store + "/sdk/" + version + "/herald.js", "If-None-Match", "\"stale\"").statusCode()).isEqualTo(200);

        for (String path : List.of("/sdk/", "/sdk/" + version + "/", "/sdk/0.0.1/herald.js", "/sdk/" + version + "/nope.js",
                "/sdk/index.json", "/sdk/" + version + "/../index.json", "/sdk/" + version + "/x/herald.js")) {
            Problems.assertProblem(Http.get(store + path, null), 404);
        }
        // Traversal out of /sdk/: the container refuses encoded separators, and nothing names a file outside the SDK.
        for (String path : List.of("/sdk/..%2f..%2fnotification-store.yml", "/sdk/%2e%2e/%2e%2e/herald-sdk/index.json",
                "/sdk/" + version + "/..%5c..%5cindex.json", "/sdk/" + version + "/%2e%2e%2findex.json")) {
            HttpResponse<String> answer = get(store + path, null, null);
            assertThat(answer.statusCode()).as(path).isIn(400, 404);
            assertThat(answer.body()).as(path).doesNotContain("\"files\"").doesNotContain("spring:");
        }
    }

    @Test
    void theEsModuleFromTheTarballAndTheIifeFromTheStoreEachReceiveANotificationInChromium() throws Exception {
        Chromium.assumeInstalled();
        HeraldStack stack = HeraldStack.get();
        List<TestGateway> gateways = Gateways.shared();
        String pagesUrl = servePages();
        double authenticatedBefore = authenticatedSessions("herald-browser");

        try (Chromium chromium = Chromium.start()) {
            WebDriver driver = chromium.driver();
            String esmUser = HeraldStack.newUser("npm-esm");
            String iifeUser = HeraldStack.newUser("npm-iife");
            try {
                open(driver, pagesUrl + "/esm.html", stack, gateways.get(0), esmUser);
                assertReceives(driver, stack, esmUser, "From the npm package");
                assertThat(driver.findElement(By.id("loaded-from")).getText()).isEqualTo(pagesUrl + "/pkg/src/herald.js");
            }
            finally {
                System.out.println("BROWSER: screenshot " + chromium.saveArtifacts("npm-esm"));
            }
            try {
                open(driver, pagesUrl + "/iife.html", stack, gateways.get(1), iifeUser);
                assertReceives(driver, stack, iifeUser, "From the store's script");
                assertThat(driver.findElement(By.id("loaded-from")).getText())
                        .isEqualTo(stack.storeUrl() + "/sdk/" + version + "/herald.iife.js");
            }
            finally {
                System.out.println("BROWSER: screenshot " + chromium.saveArtifacts("npm-iife"));
            }
        }
        // Both pages' sessions named the SDK in their auth frames.
        await().atMost(Duration.ofSeconds(5)).until(() -> authenticatedSessions("herald-browser") >= authenticatedBefore + 2);
        for (TestGateway gateway : Gateways.running()) {
            Scrape scrape = Scrape.of(gateway.baseUrl());
            for (String sdk : List.of("herald-browser", "other", "none")) {
                assertThat(scrape.samples()).as(gateway + " exports sdk=" + sdk)
                        .anyMatch(s -> s.name().equals("herald_gateway_sessions_authenticated_total")
                                && s.labels().contains("sdk=\"" + sdk + "\""));
            }
        }
    }

    /** Opens a page of {@link #servePages} for {@code user} and waits until its session is open. */
    private static void open(WebDriver driver, String page, HeraldStack stack, TestGateway routes, String user) {
        String config = Http.JSON.writeValueAsString(Map.of("storeUrl", stack.storeUrl(), "gatewayUrl", routes.baseUrl(),
                "token", stack.tokenFor(user)));
        driver.get(page + "#" + URLEncoder.encode(config, StandardCharsets.UTF_8).replace("+", "%20"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> driver.findElement(By.id("state")).getDomAttribute("data-state"), "open"::equals);
    }

    private static void assertReceives(WebDriver driver, HeraldStack stack, String user, String title) {
        String eventId = stack.send(user, title);
        String shown = await().atMost(ARRIVES_WITHIN).pollInterval(Duration.ofMillis(50))
                .until(() -> driver.findElements(By.cssSelector("li[data-event-id='" + eventId + "']")), found -> !found.isEmpty())
                .get(0).getText();
        assertThat(shown).isEqualTo(title);
        assertThat(driver.findElements(By.cssSelector("li[data-event-id]"))).hasSize(1);
    }

    private static double authenticatedSessions(String sdk) {
        return Gateways.running().stream()
                .mapToDouble(gateway -> Scrape.of(gateway.baseUrl()).sum("herald_gateway_sessions_authenticated_total", "sdk=\"" + sdk + "\""))
                .sum();
    }

    /**
     * A page server of the test's own: {@code /pkg/} is the installed package (the tarball's files),
     * {@code /esm.html} imports it through an import map, {@code /iife.html} loads the store's script.
     */
    private static String servePages() throws IOException {
        pages = PageServer.create();
        String storeScript = HeraldStack.get().storeUrl() + "/sdk/" + version + "/herald.iife.js";
        pages.createContext("/esm.html", exchange -> PageServer.reply(exchange, 200, "text/html; charset=utf-8", page(
                "@herald/browser as an ES module",
                "<script type=\"importmap\">{\"imports\": {\"@herald/browser\": \"/pkg/src/herald.js\"}}</script>",
                "<script type=\"module\">\n" + PAGE_SCRIPT + "import { Herald } from '@herald/browser';\n"
                        + "show(import.meta.resolve('@herald/browser'));\nrun(Herald);\n</script>")));
        pages.createContext("/iife.html", exchange -> PageServer.reply(exchange, 200, "text/html; charset=utf-8", page(
                "@herald/browser from a script tag", "",
                "<script src=\"" + storeScript + "\"></script>\n<script>\n" + PAGE_SCRIPT
                        + "show(document.querySelector('script[src]').src);\nrun(window.Herald.Herald);\n</script>")));
        pages.createContext("/pkg/", exchange -> {
            Path file = installed.resolve(exchange.getRequestURI().getPath().substring("/pkg/".length())).normalize();
            if (!file.startsWith(installed) || !Files.isRegularFile(file)) {
                PageServer.reply(exchange, 404, "text/plain", "not found");
                return;
            }
            // Browsers run module scripts only with a JavaScript MIME type.
            String type = file.toString().endsWith(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream";
            PageServer.reply(exchange, 200, type, Files.readString(file));
        });
        pages.start();
        return PageServer.origin(pages);
    }

    /** What both pages do with the Herald class they got: start for the user in the hash, show what arrives. */
    private static final String PAGE_SCRIPT = """
            function show(url) { document.getElementById('loaded-from').textContent = url; }
            function run(Herald) {
              const config = JSON.parse(decodeURIComponent(location.hash.slice(1)));
              const herald = new Herald(config);
              const state = document.getElementById('state');
              herald.on('state', change => {
                state.dataset.state = change.state;
                state.textContent = change.state + (change.error ? ': ' + change.error.message : '');
              });
              herald.on('notification', item => {
                const li = document.createElement('li');
                li.dataset.eventId = item.eventId;
                li.textContent = item.title;
                document.getElementById('items').prepend(li);
              });
              window.herald = herald;
              herald.start().catch(error => { state.dataset.state = 'failed'; state.textContent = 'failed: ' + error.message; });
            }
            """;

    private static String page(String title, String head, String body) {
        return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title>\n" + head + "\n</head>\n"
                + "<body style=\"font: 16px sans-serif; margin: 2em\"><h1>" + title + "</h1>\n"
                + "<p>SDK: <code id=\"loaded-from\"></code></p>\n<p>Session: <strong id=\"state\">starting</strong></p>\n"
                + "<ul id=\"items\"></ul>\n" + body + "\n</body></html>\n";
    }

    private static HttpResponse<String> get(String url, String header, String value) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (header != null) {
            request.header(header, value);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs a command in {@code dir}; returns its output, failing the test if it fails or takes over 2 minutes. */
    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = process.waitFor(2, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended && process.exitValue() == 0).as(String.join(" ", command) + " in " + dir + ":\n" + output).isTrue();
        return output.strip();
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
