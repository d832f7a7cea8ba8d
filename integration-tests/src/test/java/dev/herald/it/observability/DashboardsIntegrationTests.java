package dev.herald.it.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.gateway.TestGateway;
import dev.herald.it.gateway.WsClient;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.Scrape;

/**
 * Every metric a Grafana panel queries is one the services really export: the dashboards are
 * checked against live scrapes of producer-api, notification-store and two gateways after traffic,
 * so a renamed metric fails here instead of leaving an empty panel.
 */
class DashboardsIntegrationTests {

    /** Metric names in PromQL: our families, and the JVM/HTTP/Kafka/pool ones the services export. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:herald|kafka|jvm|http|hikaricp|process|system)_[a-z0-9_]+)\\b");

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void everyMetricThePanelsQueryIsExported() throws IOException {
        List<TestGateway> gateways = Gateways.shared();
        stack.awaitInbox(trafficFor(HeraldStack.newUser("dash")), 1);

        Set<String> exported = new TreeSet<>();
        List<String> targets = new ArrayList<>(List.of(stack.producerUrl(), stack.storeUrl()));
        gateways.forEach(gateway -> targets.add(gateway.baseUrl()));
        targets.forEach(url -> Scrape.of(url).samples().forEach(sample -> exported.add(sample.name())));

        Map<String, Set<String>> queriedBy = queriedMetrics();
        assertThat(queriedBy).as("dashboards query herald metrics").containsKeys(
                "herald_producer_events_accepted_total", "herald_gateway_frames_delivered_total",
                "herald_gateway_delivery_latency_seconds_bucket", "herald_consumer_lag", "herald_gateway_sessions_open");
        queriedBy.forEach((metric, panels) -> assertThat(exported).as("%s, queried by %s", metric, panels).contains(metric));
    }

    /**
     * What makes every meter exist: a refused request, a session that gets a notification and
     * closes, and the store's first lag reading.
     */
    private String trafficFor(String user) {
        assertThat(Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY, Map.of("userId", user)).status()).isEqualTo(400);
        String route = Http.get(Gateways.shared().get(0).baseUrl() + "/v1/route", stack.tokenFor(user)).json().get("url").asString();
        WsClient client = WsClient.open(route, stack.tokenFor(user), null);
        stack.send(user, "For the dashboards");
        await().until(() -> !client.notifications().isEmpty());
        client.close();
        await().until(() -> Gateways.shared().stream().anyMatch(g -> Scrape.of(g.baseUrl()).has("herald_gateway_sessions_closed_total")));
        // The store reads its group's lag every 10 s, once the group has committed offsets.
        await().atMost(Duration.ofSeconds(30)).until(() -> Scrape.of(stack.storeUrl()).has("herald_consumer_lag"));
        return user;
    }

    /** Metric name → the panels (dashboard / title) whose queries use it. */
    static Map<String, Set<String>> queriedMetrics() throws IOException {
        Map<String, Set<String>> queriedBy = new TreeMap<>();
        try (Stream<Path> files = Files.list(DeploymentFilesTests.ROOT.resolve("grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode dashboard = Http.JSON.readTree(file.toFile());
                for (JsonNode panel : dashboard.get("panels")) {
                    if (panel.path("type").asString("").equals("row")) {
                        continue;
                    }
                    assertThat(panel.path("targets")).as("panel %s has queries", panel.path("title")).isNotEmpty();
                    for (JsonNode target : panel.get("targets")) {
                        Matcher m = METRIC.matcher(target.get("expr").asString());
                        while (m.find()) {
                            queriedBy.computeIfAbsent(m.group(1), k -> new TreeSet<>())
                                    .add(file.getFileName() + " / " + panel.get("title").asString());
                        }
                    }
                }
            }
        }
        return queriedBy;
    }
}
