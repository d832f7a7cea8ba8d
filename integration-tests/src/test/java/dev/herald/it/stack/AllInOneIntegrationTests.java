package dev.herald.it.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.auth.ApiKeys;
import dev.herald.auth.UserTokens;
import dev.herald.it.gateway.WsClient;
import dev.herald.it.support.Http;
import dev.herald.it.support.KafkaProcess;
import dev.herald.it.support.Ports;
import dev.herald.schema.frames.ServerFrame;

/**
 * herald-all's exec jar, started as {@code ./herald up --one-process} starts it: its own JVM with
 * producer-api, notification-store (on an H2 file database) and two gateways, against a broker of its
 * own (so that its consumer groups never take partitions from the other tests' services). A
 * notification goes POST → socket → inbox; SIGTERM closes the gateways first (their sessions get
 * 1001) and the store last, and the JVM exits. A service that cannot start ends the JVM, named.
 */
class AllInOneIntegrationTests {

    private static final String API_KEY = "all-in-one-api-key";
    private static final String JWT_SECRET = "all-in-one-jwt-secret-0123456789abcdef-0123";

    private KafkaProcess kafka;
    private Process all;
    private Path dir;

    /**
     * A broker per test: a store that was closed while its consumers were still joining the group
     * leaves a member behind until its session timeout (45 s), which would hold up the next test's
     * store in its first rebalance.
     */
    @BeforeEach
    void startKafka() {
        kafka = KafkaProcess.startNew();
    }

    @AfterEach
    void stopWhateverIsLeft() {
        if (all != null && all.isAlive()) {
            all.destroyForcibly();
        }
        kafka.close();
    }

    @Test
    void oneJvmCarriesANotificationFromPostToSocketAndInboxAndSigtermStopsTheGatewaysFirst() throws Exception {
        List<Integer> ports = Ports.free(6);
        int producer = ports.get(0), store = ports.get(1), gateway1 = ports.get(2), gateway2 = ports.get(3);
        dir = Files.createTempDirectory("herald-all");
        Path log = dir.resolve("herald-all.log");
        all = launch(log, List.of(
                "--notification-store.server.port=" + store,
                "--notification-store.spring.datasource.url=jdbc:h2:file:" + dir.resolve("inbox") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE",
                "--producer-api.server.port=" + producer,
                "--gateway-1.server.port=" + gateway1, "--gateway-1.herald.gateway.websocket-port=" + ports.get(4),
                "--gateway-2.server.port=" + gateway2, "--gateway-2.herald.gateway.websocket-port=" + ports.get(5)));

        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            assertThat(all.isAlive()).as("herald-all exited early:\n%s", Files.readString(log)).isTrue();
            return Files.readString(log).contains("herald-all: all 4 services are up");
        });
        for (int port : List.of(producer, store, gateway1, gateway2)) {
            assertThat(Http.get("http://127.0.0.1:" + port + "/actuator/health/readiness", null).status()).as("port %d", port).isEqualTo(200);
        }

        String user = "aio-" + System.nanoTime();
        String token = new UserTokens(JWT_SECRET, Clock.systemUTC()).mint(user, Duration.ofMinutes(10)).token();
        // The two gateways may still be dividing the partitions between them.
        String socketUrl = await().atMost(Duration.ofSeconds(60)).until(
                () -> Http.get("http://127.0.0.1:" + gateway1 + "/v1/route", token), route -> route.status() == 200).json().get("url").asString();
        WsClient socket = WsClient.open(socketUrl, token, null);
        socket.awaitFrame(ServerFrame.Welcome.class);

        Http.Response accepted = Http.post("http://127.0.0.1:" + producer + "/v1/notifications", API_KEY,
                Map.of("userId", user, "type", "order.shipped", "title", "Shipped, in one JVM"));
        assertThat(accepted.status()).as("%s", accepted).isEqualTo(202);
        assertThat(socket.awaitNotifications(1).get(0).event().title()).isEqualTo("Shipped, in one JVM");
        JsonNode inbox = await().atMost(Duration.ofSeconds(30)).until(
                () -> Http.get("http://127.0.0.1:" + store + "/v1/me/notifications", token).json(), page -> page.get("items").size() == 1);
        assertThat(inbox.get("items").get(0).get("title").asString()).isEqualTo("Shipped, in one JVM");

        all.destroy(); // SIGTERM
        assertThat(socket.awaitClose().code()).as("the gateway closes its sessions as it goes away").isEqualTo(1001);
        assertThat(all.waitFor(60, TimeUnit.SECONDS)).as("herald-all exits on SIGTERM").isTrue();
        String output = Files.readString(log);
        List<Integer> stops = new ArrayList<>();
        for (String name : List.of("gateway-2", "gateway-1", "producer-api", "notification-store")) {
            assertThat(output).contains("herald-all: " + name + " stopped");
            stops.add(output.indexOf("herald-all: " + name + " stopped"));
        }
        assertThat(stops).as("stopped in reverse start order").isSorted();
    }

    @Test
    void aServiceThatCannotStartEndsTheJvmNamingItAfterClosingTheOthers() throws Exception {
        dir = Files.createTempDirectory("herald-all");
        Path log = dir.resolve("herald-all.log");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            all = launch(log, List.of("--gateways=0",
                    "--notification-store.server.port=" + Ports.free(),
                    "--notification-store.spring.datasource.url=jdbc:h2:mem:aio;MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                    "--producer-api.server.port=" + taken.getLocalPort()));

            assertThat(all.waitFor(4, TimeUnit.MINUTES)).as("herald-all exits when producer-api cannot start").isTrue();
        }
        String output = Files.readString(log);
        assertThat(all.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("herald-all: producer-api failed to start", "herald-all: not started: producer-api failed");
        if (output.contains("herald-all: notification-store is up")) {
            assertThat(output).as("the store, up meanwhile, is closed again").contains("herald-all: notification-store stopped");
        }
    }

    private Process launch(Path log, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar().toString(),
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--herald.security.api-keys.it.hash=" + ApiKeys.hash(API_KEY),
                "--herald.security.api-keys.it.scopes=send,tokens,read",
                "--herald.security.jwt-secret=" + JWT_SECRET,
                "--spring.main.banner-mode=off"));
        command.addAll(args);
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The exec jar that herald-all's build made (it is a dependency of this module, so it is built first). */
    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "herald-all", "target"))) {
            return files.filter(f -> f.getFileName().toString().matches("herald-all-.*-exec\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no herald-all/target/herald-all-*-exec.jar: build herald-all first"))
                    .toAbsolutePath();
        }
    }
}
