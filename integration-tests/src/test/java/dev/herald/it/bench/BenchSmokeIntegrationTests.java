package dev.herald.it.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.herald.bench.Bench;
import dev.herald.bench.BenchOptions;
import dev.herald.bench.BenchReport;
import dev.herald.it.gateway.Gateways;
import dev.herald.it.gateway.TestGateway;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Scrape;

/**
 * The load generator's core against the in-JVM services, with tiny numbers: it must open its
 * sessions through the route lookup, see every accepted event exactly once, and report sensible
 * figures. The real runs (thousands of sessions) are documented commands, not tests.
 */
class BenchSmokeIntegrationTests {

    private static List<TestGateway> gateways;

    @BeforeAll
    static void stack() {
        gateways = Gateways.shared();
    }

    /** The generator's command line against the in-JVM services, with short waits, plus {@code more}. */
    private static BenchOptions options(String mode, String... more) {
        HeraldStack stack = HeraldStack.get();
        List<String> args = new ArrayList<>(List.of("--mode", mode, "--producer", stack.producerUrl(),
                "--gateway", String.join(",", gateways.stream().map(TestGateway::baseUrl).toList()), "--store", stack.storeUrl(),
                "--api-key", HeraldStack.API_KEY, "--jwt-secret", HeraldStack.JWT_SECRET,
                "--settle", "500ms", "--drain-timeout", "15s", "--rounds", "3", "--warmup", "1s"));
        args.addAll(List.of(more));
        return BenchOptions.parse(args.toArray(String[]::new));
    }

    @Test
    void latencyRunDeliversEveryEventOnceAndReportsQuantiles() throws Exception {
        BenchReport report = Bench.run(options("latency", "--sessions", "20", "--rate", "50", "--duration", "2s"));

        assertThat(report.opened().opened()).isEqualTo(20);
        assertThat(report.opened().perGateway()).hasSize(2);
        BenchReport.Step step = report.steps().get(0);
        assertThat(step.accepted()).as("accepted; rejections %s", step.rejections()).isEqualTo(100);
        assertThat(step.rejected()).isZero();
        assertThat(step.delivered()).isEqualTo(100);
        assertThat(step.lost()).isZero();
        assertThat(step.duplicates()).isZero();
        BenchReport.Latency latency = step.latency();
        assertThat(latency.count()).isEqualTo(100);
        assertThat(latency.p50Ms()).isPositive().isLessThanOrEqualTo(latency.p99Ms());
        assertThat(latency.p99Ms()).isLessThanOrEqualTo(latency.maxMs()).isLessThan(5_000);
        assertThat(step.deliveredPerSecond()).isBetween(20.0, 200.0);
        assertThat(step.processes()).anyMatch(p -> p.name().equals("bench") && p.rssKiB() > 0);
        assertThat(Bench.json(report)).contains("\"p99Ms\"").contains("\"lost\" : 0");
    }

    @Test
    void batchStepsCountEveryEventOfEveryBatch() throws Exception {
        // The store publishes its lag once its group has committed, every 10 s: on a fresh stack, wait for it.
        HeraldStack.get().send("bench-smoke-lag", "lag");
        await().atMost(Duration.ofSeconds(30)).until(() -> Scrape.of(HeraldStack.get().storeUrl()).samples().stream()
                .anyMatch(s -> s.name().equals("herald_consumer_lag") && s.labels().contains("group=\"herald-store\"")));
        // A step passes on counts here, not on latency: the in-JVM stack is cold and the machine shared.
        BenchReport report = Bench.run(options("max-rate", "--sessions", "20", "--duration", "1s", "--batch", "10",
                "--rates", "100,200", "--p99-limit-ms", "5000"));

        assertThat(report.steps()).hasSize(2).allSatisfy(step -> {
            assertThat(step.batchSize()).isEqualTo(10);
            assertThat(step.lost()).isZero();
            assertThat(step.duplicates()).isZero();
            assertThat(step.delivered()).isEqualTo(step.accepted()).isEqualTo(step.events());
            assertThat(step.passed()).isTrue();
        });
        assertThat(report.steps().get(1).accepted()).isEqualTo(200);
        assertThat(report.steps().get(1).storeLagEnd()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void fanoutReachesEverySessionOfTheUser() throws Exception {
        BenchReport report = Bench.run(options("fanout", "--sessions", "5"));

        assertThat(report.fanout().rounds()).hasSize(3).allSatisfy(round -> {
            assertThat(round.received()).isEqualTo(5).isEqualTo(round.expected());
            assertThat(round.duplicates()).isZero();
            assertThat(round.firstMs()).isPositive().isLessThanOrEqualTo(round.lastMs());
        });
        assertThat(report.fanout().maxLastMs()).isLessThan(5_000);
    }

    @Test
    void channelRunReachesEverySubscriberOnEveryGatewayExactlyOnce() throws Exception {
        // A channel of this run only: sessions subscribe from now (since null), so nothing else is replayed to them.
        String channel = "bench:smoke-" + Long.toHexString(System.nanoTime());
        BenchReport report = Bench.run(options("channel", "--sessions", "30", "--channel", channel, "--rate", "5",
                "--duration", "2s", "--warmup", "0s"));

        assertThat(report.opened().opened()).as("opened; failures %s", report.opened().failures()).isEqualTo(30);
        BenchReport.Broadcast broadcast = report.broadcast();
        assertThat(broadcast.channel()).isEqualTo(channel);
        assertThat(broadcast.gateways()).isEqualTo(2);
        assertThat(broadcast.rounds()).hasSize(3).allSatisfy(round -> {
            assertThat(round.received()).isEqualTo(30).isEqualTo(round.expected());
            assertThat(round.duplicates()).isZero();
            assertThat(round.firstMs()).isPositive().isLessThanOrEqualTo(round.lastMs());
        });
        BenchReport.Step sustained = report.steps().get(0);
        assertThat(sustained.accepted()).as("accepted; rejections %s", sustained.rejections()).isEqualTo(10);
        assertThat(sustained.delivered()).isEqualTo(300);
        assertThat(sustained.lost()).isZero();
        assertThat(sustained.duplicates()).isZero();
        assertThat(report.verdict()).startsWith("one message to 30 subscribers on 2 gateways");
    }

    @Test
    void idleRunOpensEverySessionOnOneGateway() throws Exception {
        BenchReport report = Bench.run(options("idle", "--sessions", "10"));

        assertThat(report.opened().opened()).isEqualTo(10);
        assertThat(report.opened().perGateway()).hasSize(1);
        assertThat(report.idle().sessionsStillOpen()).isEqualTo(10);
        assertThat(report.idle().heapMiB()).isPositive();
    }

    @Test
    void refusesAnythingButLoopback() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> BenchOptions.parse("--mode", "latency", "--producer", "http://192.0.2.1:8080"))
                .withMessageContaining("127.0.0.0/8");
    }
}
