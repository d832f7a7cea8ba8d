package dev.herald.it.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.support.Http;
import dev.herald.it.support.Ports;

/**
 * The README's first command, as a newcomer runs it: {@code ./herald up} in a fresh clone builds,
 * starts Kafka, the store, producer-api and two gateways, and says it is up; a notification sent
 * with curl lands in the inbox; a gateway SIGKILLed is started again while producer-api keeps
 * accepting; Ctrl-C (SIGINT) stops everything and leaves nothing running. Started again, it maps its
 * warm-up archives, and {@code ./herald down} from another terminal stops it.
 */
class LocalStackIntegrationTests {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    private Process herald;
    private Path clone;

    @AfterEach
    void stopWhateverIsLeft() {
        if (herald != null && herald.isAlive()) {
            herald.descendants().forEach(ProcessHandle::destroyForcibly);
            herald.destroyForcibly();
        }
    }

    @Test
    void upFromAFreshCloneServesRestartsWhatDiesAndStopsOnCtrlCOrDown() throws Exception {
        clone = Files.createTempDirectory("herald-clone").resolve("herald");
        run(List.of("git", "clone", "--quiet", REPOSITORY.toString(), clone.toString()), REPOSITORY);

        List<String> names = List.of("KAFKA_PORT", "KAFKA_CONTROLLER_PORT", "PRODUCER_API_PORT", "NOTIFICATION_STORE_PORT",
                "GATEWAY_1_PORT", "GATEWAY_2_PORT", "GATEWAY_1_WS_PORT", "GATEWAY_2_WS_PORT");
        List<Integer> free = Ports.free(names.size());
        Map<String, Integer> ports = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            ports.put(names.get(i), free.get(i));
        }
        Path log = clone.resolve("herald-up.log");
        ProcessBuilder up = new ProcessBuilder("./herald", "up").directory(clone.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        ports.forEach((name, port) -> up.environment().put(name, port.toString()));
        up.environment().put("HERALD_HOST", "127.0.0.1");
        long started = System.nanoTime();
        herald = up.start();

        await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            assertThat(herald.isAlive()).as("./herald up exited early:\n%s", Files.readString(log)).isTrue();
            return Files.readString(log).contains("Herald is up.");
        });
        System.out.printf("%n./herald up from a fresh clone: healthy after %.1f s%n%n", (System.nanoTime() - started) / 1e9);
        String output = Files.readString(log);
        assertThat(output).contains("development default", "curl -s -X POST", "Ctrl-C stops everything");

        String producer = "http://127.0.0.1:" + ports.get("PRODUCER_API_PORT");
        String store = "http://127.0.0.1:" + ports.get("NOTIFICATION_STORE_PORT");
        String key = "herald-dev-api-key-NOT-FOR-PRODUCTION";
        assertThat(send(producer, key, "Your order shipped")).contains("\"eventId\"", "\"cursor\"");
        JsonNode inbox = await().atMost(Duration.ofSeconds(30)).until(
                () -> Http.get(store + "/v1/users/alice/notifications", key).json(), page -> page.get("items").size() == 1);
        assertThat(inbox.get("items").get(0).get("title").asString()).isEqualTo("Your order shipped");
        for (String gateway : List.of("GATEWAY_1_PORT", "GATEWAY_2_PORT")) {
            assertThat(Http.get("http://127.0.0.1:" + ports.get(gateway) + "/actuator/health/readiness", null).status()).isEqualTo(200);
        }

        // A gateway that dies (here SIGKILL, as the OOM killer would) is started again; the others serve meanwhile.
        long gateway1 = Long.parseLong(Files.readAllLines(clone.resolve(".herald/run/processes")).stream()
                .filter(line -> line.startsWith("gateway-1|")).findFirst().orElseThrow().split("\\|")[1]);
        long killedAt = System.nanoTime();
        new ProcessBuilder("kill", "-KILL", Long.toString(gateway1)).start().waitFor();
        assertThat(send(producer, key, "While gateway-1 is away")).contains("\"eventId\"");
        String status = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> herald(clone, "status"), out -> out.matches("(?s).*gateway-1\\s+\\d+\\s+running\\s+1\\s+up .*"));
        System.out.printf("%nsupervisor: gateway-1 SIGKILLed, running and healthy again %.1f s later%n%s%n",
                (System.nanoTime() - killedAt) / 1e9, status);
        assertThat(status).as("the others were never restarted").containsPattern("producer-api\\s+\\d+\\s+running\\s+0\\s+up ");
        assertThat(Files.readString(log)).contains("gateway-1 stopped unexpectedly (exit 137)", "gateway-1 is up again");
        assertThat(Http.get("http://127.0.0.1:" + ports.get("GATEWAY_1_PORT") + "/actuator/health/readiness", null).status()).isEqualTo(200);

        List<ProcessHandle> children = new ArrayList<>(herald.descendants().toList());
        assertThat(children).as("Kafka, the store, producer-api and two gateways").hasSizeGreaterThanOrEqualTo(5);
        new ProcessBuilder("kill", "-INT", Long.toString(herald.pid())).start().waitFor();

        assertThat(herald.waitFor(90, TimeUnit.SECONDS)).as("./herald up stops on SIGINT").isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(clone.toString())))
                .as("nothing of the stack is left running").isEmpty();
        assertThat(Files.readString(log)).contains("stopped; data kept in");
        for (String jvm : List.of("kafka", "notification-store", "producer-api", "gateway-1")) {
            assertThat(Files.readString(log)).as("a clean stop saves the warm-up archives").contains(jvm + ": warm-up archive saved");
        }

        // The next start maps them; one spoilt archive (a half-written or foreign file) must not stop it.
        Path warmup = clone.resolve(".herald/warmup");
        try (var archives = Files.list(warmup.resolve("producer-api"))) {
            Path archive = archives.filter(f -> f.toString().endsWith(".jsa") || f.toString().endsWith(".aot")).findFirst().orElseThrow();
            archive.toFile().setWritable(true);
            Files.writeString(archive, "not an archive");
        }
        Path again = clone.resolve("herald-up-again.log");
        ProcessBuilder upAgain = new ProcessBuilder("./herald", "up").directory(clone.toFile())
                .redirectErrorStream(true).redirectOutput(again.toFile());
        upAgain.environment().putAll(up.environment());
        herald = upAgain.start();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            assertThat(herald.isAlive()).as("./herald up exited early:\n%s", Files.readString(again)).isTrue();
            return Files.readString(again).contains("Herald is up.");
        });
        List<String> commandLines = herald.descendants().map(p -> p.info().commandLine().orElse("")).toList();
        assertThat(commandLines.stream().filter(c -> c.contains("-XX:SharedArchiveFile=") || c.contains("-XX:AOTCache=")))
                .as("Kafka and the four services map their archives").hasSize(5);
        assertThat(Http.get(store + "/v1/users/alice/notifications", key).json().get("items").size()).isEqualTo(2);
        assertThat(herald(clone, "down")).contains("stopped");
        assertThat(herald.waitFor(30, TimeUnit.SECONDS)).as("./herald down stops ./herald up").isTrue();
        Process statusWhenDown = new ProcessBuilder("./herald", "status").directory(clone.toFile()).redirectErrorStream(true).start();
        assertThat(new String(statusWhenDown.getInputStream().readAllBytes())).contains("not running");
        assertThat(statusWhenDown.waitFor()).as("./herald status when nothing is up").isEqualTo(3);
    }

    /** POSTs one notification for alice with curl, as the banner shows, and returns the answer. */
    private static String send(String producer, String key, String title) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder("curl", "-s", "-X", "POST", producer + "/v1/notifications",
                "-H", "Authorization: Bearer " + key, "-H", "Content-Type: application/json",
                "-d", "{\"userId\":\"alice\",\"type\":\"order.shipped\",\"title\":\"" + title + "\"}")
                .redirectErrorStream(true).start();
        String answer = new String(curl.getInputStream().readAllBytes());
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return answer;
    }

    /** Runs {@code ./herald COMMAND} in the clone (as from another terminal) and returns its output. */
    private static String herald(Path clone, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("./herald", command).directory(clone.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(200, TimeUnit.SECONDS)).as("./herald %s ends", command).isTrue();
        return output;
    }

    private static void run(List<String> command, Path directory) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + output);
        }
    }

}
