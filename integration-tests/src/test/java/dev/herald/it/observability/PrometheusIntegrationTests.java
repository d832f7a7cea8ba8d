package dev.herald.it.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import tools.jackson.databind.JsonNode;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.Ports;

/**
 * Debian's Prometheus, run with the repository's scrape configuration pointed at the services of
 * this test JVM, finds every target up and the Herald metrics in its database.
 */
class PrometheusIntegrationTests {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    private final HeraldStack stack = HeraldStack.get();
    private Process prometheus;

    @AfterEach
    void stop() {
        if (prometheus != null) {
            prometheus.destroyForcibly();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void scrapesEveryServiceOfTheStack() throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS), "Prometheus is not installed (Debian package prometheus)");
        stack.send(HeraldStack.newUser("prom"), "Scraped");
        // The repository's configuration, with the compose host names replaced by this JVM's services.
        Map<String, Object> config = new Yaml().load(Files.readString(DeploymentFilesTests.ROOT.resolve("prometheus/prometheus.yml")));
        Map<String, String> local = Map.of(
                "producer-api:8080", hostPort(stack.producerUrl()),
                "notification-store:8081", hostPort(stack.storeUrl()),
                "gateway-1:8082", hostPort(Gateways.shared().get(0).baseUrl()),
                "gateway-2:8083", hostPort(Gateways.shared().get(1).baseUrl()));
        for (Object job : (List<Object>) config.get("scrape_configs")) {
            for (Object staticConfig : (List<Object>) ((Map<String, Object>) job).get("static_configs")) {
                Map<String, Object> targets = (Map<String, Object>) staticConfig;
                targets.put("targets", ((List<String>) targets.get("targets")).stream().map(local::get).toList());
            }
        }
        Path dir = Files.createTempDirectory("herald-prometheus");
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, new Yaml().dump(config));
        int port = Ports.free();
        prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + file, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        String api = "http://127.0.0.1:" + port + "/api/v1";

        JsonNode active = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> Http.get(api + "/targets", null).json().get("data").get("activeTargets"),
                        targets -> targets.size() == 4 && targets.valueStream().allMatch(t -> t.get("health").asString().equals("up")));
        List<String> jobs = new ArrayList<>(active.valueStream().map(t -> t.get("labels").get("job").asString()).toList());
        assertThat(jobs).containsExactlyInAnyOrder("producer-api", "notification-store", "push-gateway", "push-gateway");

        JsonNode accepted = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Http.get(api + "/query?query=sum(herald_producer_events_accepted_total)", null).json().get("data").get("result"),
                        result -> !result.isEmpty());
        assertThat(Double.parseDouble(accepted.get(0).get("value").get(1).asString())).isPositive();
    }

    private static String hostPort(String baseUrl) {
        return baseUrl.replaceFirst("^https?://", "");
    }

}
