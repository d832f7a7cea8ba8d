package dev.herald.it.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked here of the containerised stack without a Docker engine: the compose file's
 * structure, that it and the Prometheus configuration agree, and promtool's verdict on the latter.
 */
class DeploymentFilesTests {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> HERALD_SERVICES = List.of("producer-api", "notification-store", "gateway-1", "gateway-2");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String file) throws IOException {
        return new Yaml().load(Files.readString(ROOT.resolve(file)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @Test
    void composeRunsTheWholeStackWithHealthChecksAndOrderedStart() throws IOException {
        Map<String, Object> services = map(yaml("docker-compose.yml").get("services"));

        assertThat(services).containsKeys("kafka", "mysql", "producer-api", "notification-store", "gateway-1", "gateway-2",
                "prometheus", "grafana");
        services.forEach((name, service) -> assertThat(map(map(service).get("healthcheck")).get("test"))
                .as(name + " has a health check").isNotNull());
        for (String name : HERALD_SERVICES) {
            Map<String, Object> dependsOn = map(map(services.get(name)).get("depends_on"));
            assertThat(map(dependsOn.get("kafka")).get("condition")).as(name + " waits for Kafka").isEqualTo("service_healthy");
        }
        assertThat(map(map(map(services.get("notification-store")).get("depends_on")).get("mysql")).get("condition"))
                .isEqualTo("service_healthy");
        assertThat(map(map(services.get("notification-store")).get("environment")).get("HERALD_STORE_JDBC_URL").toString())
                .startsWith("jdbc:mysql://mysql:3306/");
    }

    @Test
    void theTwoGatewaysHaveDistinctPublicUrlsMatchingTheirWebSocketPorts() throws IOException {
        Map<String, Object> services = map(yaml("docker-compose.yml").get("services"));
        Set<String> urls = new HashSet<>();
        for (String gateway : List.of("gateway-1", "gateway-2")) {
            Map<String, Object> service = map(services.get(gateway));
            String url = map(service.get("environment")).get("HERALD_GATEWAY_PUBLIC_URL").toString();
            String port = map(service.get("environment")).get("SERVER_PORT").toString();
            String wsPort = map(service.get("environment")).get("HERALD_GATEWAY_WEBSOCKET_PORT").toString();
            assertThat(url).isEqualTo("ws://localhost:" + wsPort + "/ws");
            assertThat((List<Object>) service.get("ports")).contains(port + ":" + port, wsPort + ":" + wsPort);
            urls.add(url);
        }
        assertThat(urls).hasSize(2);
    }

    @Test
    void imagesAreBuiltFromModulesOfThisRepository() throws IOException {
        String rootPom = Files.readString(ROOT.resolve("pom.xml"));
        Map<String, Object> services = map(yaml("docker-compose.yml").get("services"));
        for (String name : HERALD_SERVICES) {
            Object build = map(services.get(name)).get("build");
            if (build != null) {
                String module = map(map(build).get("args")).get("MODULE").toString();
                assertThat(rootPom).contains("<module>" + module + "</module>");
                assertThat(ROOT.resolve(module).resolve("pom.xml")).exists();
            }
        }
        assertThat(ROOT.resolve("Dockerfile")).exists();
    }

    @Test
    void theImageBuildHasNodeForTheBrowserSdkThatTheStoreServes() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        String buildStage = dockerfile.substring(0, dockerfile.indexOf("\nFROM ", dockerfile.indexOf("AS build")));
        assertThat(buildStage).as("the build stage installs Node and npm (notification-store's jar carries the SDK)")
                .containsPattern("apt-get install [^\\n]*\\bnodejs npm\\b")
                .doesNotContainPattern("mvn [^\\n]*-Dnpm\\.skip");
    }

    @Test
    void prometheusScrapesEveryHeraldServiceOfTheComposeFile() throws IOException {
        Map<String, Object> services = map(yaml("docker-compose.yml").get("services"));
        List<String> targets = new ArrayList<>();
        for (Object job : (List<Object>) yaml("prometheus/prometheus.yml").get("scrape_configs")) {
            assertThat(map(job).get("metrics_path")).isEqualTo("/actuator/prometheus");
            for (Object staticConfig : (List<Object>) map(job).get("static_configs")) {
                targets.addAll((List<String>) map(staticConfig).get("targets"));
            }
        }
        List<String> expected = HERALD_SERVICES.stream()
                .map(name -> name + ":" + map(map(services.get(name)).get("environment")).get("SERVER_PORT"))
                .toList();
        assertThat(targets).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void grafanaMountsProvisioningAndDashboardsThatExist() throws IOException {
        Map<String, Object> grafana = map(map(yaml("docker-compose.yml").get("services")).get("grafana"));
        Pattern mount = Pattern.compile("^\\./([^:]+):");
        for (Object volume : (List<Object>) grafana.get("volumes")) {
            Matcher m = mount.matcher(volume.toString());
            if (m.find()) {
                assertThat(ROOT.resolve(m.group(1))).as(volume.toString()).isDirectory();
            }
        }
        assertThat(ROOT.resolve("grafana/provisioning/datasources/prometheus.yml")).exists();
        assertThat(ROOT.resolve("grafana/provisioning/dashboards/herald.yml")).exists();
    }

    @Test
    void promtoolAcceptsThePrometheusConfiguration() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")), "promtool is not installed (Debian package prometheus)");
        Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "config", ROOT.resolve("prometheus/prometheus.yml").toString())
                .redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes());
        assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(promtool.exitValue()).as(output).isZero();
    }
}
