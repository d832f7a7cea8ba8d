package dev.herald.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Herald's load generator. Modes: {@code idle} (RSS per open session on one gateway),
 * {@code latency} (N sessions, R single POSTs/s for D), {@code max-rate} (steps the rate until p99
 * passes the limit, single POSTs or batches), {@code fanout} (one user with N sessions, one
 * notification, time until the last session has it), {@code channel} (N users' sessions on every
 * gateway subscribed to one channel: single messages, time until the last subscriber has each, then
 * optionally R messages/s for D). Talks only to 127.0.0.0/8.
 *
 * <p>Use {@link #run(BenchOptions)} from Java, or the runnable jar:
 * {@code java -jar bench/target/bench-*-exec.jar --mode latency --sessions 10000 --rate 1000 --duration 60s}.
 */
public final class Bench {

    static final ExecutorService OPENERS = daemonPool("bench-open", 32);
    private static final Duration OPEN_TIMEOUT = Duration.ofMinutes(5);

    private final BenchOptions options;
    private final String runId = Long.toHexString(ThreadLocalRandom.current().nextLong(0x1000000L, 0xfffffffL));
    private final HttpClient http;
    private final ProcessProbe probe;
    private final Scrape store;
    private final Deliveries deliveries = new Deliveries();
    private final GatewayLatency gatewayLatency;

    private Bench(BenchOptions options) {
        this.options = options;
        this.probe = ProcessProbe.discover(Stream.concat(Stream.of(options.producerUrl(), options.storeUrl()),
                options.gatewayUrls().stream()).map(url -> Loopback.toLoopback(url).getPort()).collect(Collectors.toSet()));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(daemonPool("bench-http", 2)).build();
        this.store = new Scrape(http, options.storeUrl());
        this.gatewayLatency = new GatewayLatency(options.gatewayUrls().stream().map(url -> new Scrape(http, url)).toList());
    }

    public static void main(String[] args) throws Exception {
        // The runnable jar has SLF4J's API but no binding: let Netty log its warnings through java.util.logging.
        io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(
                io.netty.util.internal.logging.JdkLoggerFactory.INSTANCE);
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        }
        catch (IllegalArgumentException ex) {
            if (ex.getMessage() != null) {
                System.err.println("bench: " + ex.getMessage());
            }
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        BenchReport report = run(options);
        System.out.print(report.table());
        if (options.jsonFile() != null) {
            Files.writeString(Path.of(options.jsonFile()), json(report));
            System.out.println("JSON written to " + options.jsonFile());
        }
        System.exit(0);
    }

    /** Runs one benchmark and returns what it measured; every session it opened is closed again. */
    public static BenchReport run(BenchOptions options) throws InterruptedException {
        return new Bench(options).execute();
    }

    public static String json(BenchReport report) {
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(report);
    }

    private BenchReport execute() throws InterruptedException {
        String startedAt = Instant.now().toString();
        try (Network network = new Network(); Sessions sessions = new Sessions(options, http, network, runId)) {
            return switch (options.mode()) {
                case IDLE -> idle(sessions, startedAt);
                case LATENCY -> latency(sessions, network, startedAt);
                case MAX_RATE -> maxRate(sessions, network, startedAt);
                case FANOUT -> fanout(sessions, network, startedAt);
                case CHANNEL -> channel(sessions, network, startedAt);
            };
        }
    }

    private BenchReport idle(Sessions sessions, String startedAt) throws InterruptedException {
        String gateway = options.gatewayUrls().get(0);
        int port = Loopback.toLoopback(gateway).getPort();
        Long pid = probe.pidOf("gateway:" + port);
        Scrape gatewayScrape = new Scrape(http, gateway);
        List<Integer> users = sessions.usersOwnedBy(gateway, options.sessions());
        long baseline = pid == null ? -1 : ProcessProbe.rssKiB(pid);
        double heapBaseline = heapMiB(gatewayScrape);
        List<ProcessProbe.Sample> before = probe.sample();
        BenchReport.Opened opened = open(sessions, users);
        sleep(options.settle());
        long rss = pid == null ? -1 : ProcessProbe.rssKiB(pid);
        double heap = heapMiB(gatewayScrape);
        int stillOpen = (int) sessions.open.stream().filter(s -> s.closeCode == -1).count();
        double perSession = pid == null || opened.opened() == 0 ? -1
                : Math.round((rss - baseline) * 100.0 / opened.opened()) / 100.0;
        BenchReport.Idle idle = new BenchReport.Idle(gateway, pid == null ? -1 : pid, baseline, rss, perSession, heapBaseline,
                heap, stillOpen, ProcessProbe.rssKiB(ProcessHandle.current().pid()));
        String verdict = String.format("%d sessions on %s: %.2f KiB RSS per session above the idle baseline (target <= 10 KiB)",
                opened.opened(), gateway, perSession);
        return new BenchReport("idle", runId, startedAt, settings(), opened, List.of(), idle, null, null,
                ProcessProbe.usage(before, probe.sample()), verdict);
    }

    private BenchReport latency(Sessions sessions, Network network, String startedAt) throws InterruptedException {
        List<Integer> users = range(options.sessions());
        BenchReport.Opened opened = open(sessions, users);
        BenchReport.Step step;
        try (Sender sender = Sender.notifications(network, options, userIds(sessions, options.sessions()))) {
            warmUp(sender, sessions, options.rate());
            step = step(sender, sessions, options.rate(), options.duration(), options.batchSize());
        }
        String verdict = String.format("%.0f events/s to %d sessions for %.0f s: p99 %.2f ms, %d lost, %d duplicates",
                options.rate(), opened.opened(), step.sendSeconds(), step.latency().p99Ms(), step.lost(), step.duplicates());
        return new BenchReport("latency", runId, startedAt, settings(), opened, List.of(step), null, null, null, step.processes(),
                verdict);
    }

    private BenchReport maxRate(Sessions sessions, Network network, String startedAt) throws InterruptedException {
        List<Integer> users = range(options.sessions());
        BenchReport.Opened opened = open(sessions, users);
        try (Sender sender = Sender.notifications(network, options, userIds(sessions, options.sessions()))) {
            return maxRate(sessions, sender, opened, startedAt);
        }
    }

    private BenchReport maxRate(Sessions sessions, Sender sender, BenchReport.Opened opened, String startedAt)
            throws InterruptedException {
        warmUp(sender, sessions, options.rates().get(0));
        List<BenchReport.Step> steps = new ArrayList<>();
        double best = 0;
        BenchReport.Step bestStep = null;
        for (double rate : options.rates()) {
            BenchReport.Step step = step(sender, sessions, rate, options.duration(), options.batchSize());
            steps.add(step);
            System.out.printf("  step %.0f/s: accepted %.0f/s delivered %.0f/s p99 %.2f ms lost %d dup %d lag max %d -> %s%n",
                    rate, step.acceptedPerSecond(), step.deliveredPerSecond(), step.latency().p99Ms(), step.lost(),
                    step.duplicates(), step.storeLagMax(), step.passed() ? "pass" : "FAIL");
            if (!step.passed()) {
                break;
            }
            best = step.deliveredPerSecond();
            bestStep = step;
        }
        String verdict = bestStep == null ? "no step passed (p99 <= " + options.p99LimitMs() + " ms, nothing lost, all accepted)"
                : String.format("highest passing step: %.0f events/s target (batch %d), %.0f delivered/s, p99 %.2f ms, store lag max %d",
                        bestStep.targetRate(), options.batchSize(), best, bestStep.latency().p99Ms(), bestStep.storeLagMax());
        return new BenchReport("max-rate", runId, startedAt, settings(), opened, steps, null, null, null, List.of(), verdict);
    }

    private BenchReport fanout(Sessions sessions, Network network, String startedAt) throws InterruptedException {
        List<Integer> users = Collections.nCopies(options.sessions(), 0);
        BenchReport.Opened opened = open(sessions, users);
        try (Sender sender = Sender.notifications(network, options, userIds(sessions, 1))) {
            return fanout(sessions, sender, opened, startedAt);
        }
    }

    private BenchReport fanout(Sessions sessions, Sender sender, BenchReport.Opened opened, String startedAt)
            throws InterruptedException {
        List<ProcessProbe.Sample> before = probe.sample();
        List<BenchReport.Round> rounds = rounds(sessions, sender);
        double[] last = medianAndWorstLast(rounds);
        BenchReport.Fanout fanout = new BenchReport.Fanout(opened.opened(), rounds, last[0], last[1]);
        String verdict = String.format("one notification to one user's %d sessions: last session after %.2f ms (median of %d), worst %.2f ms",
                opened.opened(), fanout.medianLastMs(), rounds.size(), fanout.maxLastMs());
        return new BenchReport("fanout", runId, startedAt, settings(), opened, List.of(), null, fanout, null,
                ProcessProbe.usage(before, probe.sample()), verdict);
    }

    private BenchReport channel(Sessions sessions, Network network, String startedAt) throws InterruptedException {
        BenchReport.Opened opened = open(sessions, range(options.sessions()));
        try (Sender sender = Sender.channel(network, options, options.channel())) {
            return channel(sessions, sender, opened, startedAt);
        }
    }

    /**
     * The rounds, then (with a rate) a warm-up and the sustained step at that rate. Every subscriber
     * is to receive every accepted message, so a step's delivered, lost and duplicates count
     * messages × subscribers, and its latency is that of each delivery.
     */
    private BenchReport channel(Sessions sessions, Sender sender, BenchReport.Opened opened, String startedAt)
            throws InterruptedException {
        List<ProcessProbe.Sample> before = probe.sample();
        List<BenchReport.Round> rounds = rounds(sessions, sender);
        List<BenchReport.ProcessUsage> roundsUsage = ProcessProbe.usage(before, probe.sample());
        double[] last = medianAndWorstLast(rounds);
        int gateways = opened.perGateway().size();
        BenchReport.Broadcast broadcast = new BenchReport.Broadcast(options.channel(), opened.opened(), gateways, rounds,
                last[0], last[1], roundsUsage);
        String verdict = String.format("one message to %d subscribers on %d gateways: last delivery after %.2f ms (median of %d), worst %.2f ms",
                opened.opened(), gateways, last[0], rounds.size(), last[1]);
        List<BenchReport.Step> steps = List.of();
        List<BenchReport.ProcessUsage> usage = roundsUsage;
        if (options.rate() > 0) {
            warmUp(sender, sessions, options.rate());
            BenchReport.Step step = step(sender, sessions, options.rate(), options.duration(), 1);
            steps = List.of(step);
            usage = step.processes();
            verdict += String.format("; %.0f messages/s for %.0f s: %.0f delivered/s, p99 %.2f ms, %d lost, %d duplicates",
                    options.rate(), step.sendSeconds(), step.deliveredPerSecond(), step.latency().p99Ms(), step.lost(),
                    step.duplicates());
        }
        return new BenchReport("channel", runId, startedAt, settings(), opened, steps, null, null, broadcast, usage, verdict);
    }

    /**
     * {@code --rounds} single events, one at a time, a second apart: for each, how many of the open
     * sessions had it, the first and the last of them and the quantiles in between (ms after due).
     */
    private List<BenchReport.Round> rounds(Sessions sessions, Sender sender) throws InterruptedException {
        List<BenchReport.Round> rounds = new ArrayList<>();
        for (int round = 0; round < options.rounds(); round++) {
            deliveries.reset();
            long dupsBefore = duplicates(sessions);
            long acceptedBefore = sender.acceptedEvents.sum();
            var gatewayBefore = gatewayLatency.snapshot();
            sender.run(1, Duration.ofSeconds(1), 1, round);
            awaitDelivered(sender, sessions, options.drainTimeout());
            var gatewaySide = GatewayLatency.between(gatewayBefore, gatewayLatency.snapshot());
            Deliveries.Window window = deliveries.reset();
            long expected = (long) sessions.open.size() * (sender.acceptedEvents.sum() - acceptedBefore);
            BenchReport.Latency latency = BenchReport.Latency.of(window.latencyMicros);
            double first = window.latencyMicros.getTotalCount() == 0 ? 0
                    : Math.round(window.latencyMicros.getMinValue() / 10.0) / 100.0;
            rounds.add(new BenchReport.Round(window.delivered.sum(), expected, duplicates(sessions) - dupsBefore, first,
                    latency.maxMs(), latency, gatewaySide));
            sleep(Duration.ofSeconds(1));
        }
        return rounds;
    }

    /** The median and the worst of the rounds' last deliveries. */
    private static double[] medianAndWorstLast(List<BenchReport.Round> rounds) {
        double[] lasts = rounds.stream().mapToDouble(BenchReport.Round::lastMs).sorted().toArray();
        return new double[] {lasts[lasts.length / 2], lasts[lasts.length - 1]};
    }

    private BenchReport.Opened open(Sessions sessions, List<Integer> users) throws InterruptedException {
        long start = System.nanoTime();
        List<BenchSession> opened = sessions.openAll(users, deliveries, OPEN_TIMEOUT);
        double seconds = Math.round((System.nanoTime() - start) / 1e7) / 100.0;
        System.out.printf("  opened %d of %d sessions in %.1f s %s%n", opened.size(), users.size(), seconds, sessions.perGateway);
        return new BenchReport.Opened(users.size(), opened.size(), sessions.failed.get(), Map.copyOf(sessions.failures),
                Map.copyOf(sessions.perGateway), seconds);
    }

    /**
     * A phase at up to 500 events/s first, not measured: connections, the JIT of every process and
     * the services' first requests would otherwise be charged to the measurement.
     */
    private void warmUp(Sender sender, Sessions sessions, double rate) throws InterruptedException {
        if (options.warmUp().isZero()) {
            return;
        }
        Sender.Phase phase = sender.run(Math.min(rate, 500), options.warmUp(), 1, eventCounter);
        eventCounter += phase.events();
        awaitDelivered(sender, sessions, options.drainTimeout());
        deliveries.reset();
        System.out.printf("  warmed up: %d events%n", phase.events());
    }

    private BenchReport.Step step(Sender sender, Sessions sessions, double rate, Duration duration, int batchSize)
            throws InterruptedException {
        long lostBefore = lost(sender, sessions);
        long dupsBefore = duplicates(sessions);
        long reorderedBefore = reordered(sessions);
        long acceptedBefore = sender.acceptedEvents.sum();
        long rejectedBefore = sender.rejectedEvents.sum();
        Map<String, Integer> rejectionsBefore = Map.copyOf(sender.rejections);
        deliveries.reset();
        LagSampler lag = new LagSampler(store, duration.plus(options.drainTimeout()).plusSeconds(20));
        lag.start();
        var gatewayBefore = gatewayLatency.snapshot();
        List<ProcessProbe.Sample> before = probe.sample();
        long start = Payload.now();
        Sender.Phase phase = sender.run(rate, duration, batchSize, eventCounter);
        eventCounter += phase.events();
        List<ProcessProbe.Sample> after = probe.sample();
        awaitDelivered(sender, sessions, options.drainTimeout());
        Deliveries.Window window = deliveries.reset();
        long lagEnd = store.storeLag();
        lag.stop();
        var gatewaySide = GatewayLatency.between(gatewayBefore, gatewayLatency.snapshot());
        long accepted = sender.acceptedEvents.sum() - acceptedBefore;
        long rejected = sender.rejectedEvents.sum() - rejectedBefore;
        Map<String, Integer> rejections = new LinkedHashMap<>();
        sender.rejections.forEach((why, n) -> {
            int d = n - rejectionsBefore.getOrDefault(why, 0);
            if (d > 0) {
                rejections.put(why, d);
            }
        });
        long lost = lost(sender, sessions) - lostBefore;
        long dups = duplicates(sessions) - dupsBefore;
        BenchReport.Latency latency = BenchReport.Latency.of(window.latencyMicros);
        double deliverSeconds = window.delivered.sum() == 0 ? 1 : Math.max(1e-3, (window.lastArrival.get() - start) / 1e9);
        double acceptedPerSecond = accepted / Math.max(duration.toNanos() / 1e9, phase.elapsedSeconds());
        boolean passed = latency.p99Ms() <= options.p99LimitMs() && lost == 0 && rejected == 0
                && accepted >= 0.95 * rate * duration.toNanos() / 1e9 && window.delivered.sum() > 0;
        return new BenchReport.Step(rate, batchSize, phase.events(), phase.requests(), round2(phase.elapsedSeconds()), accepted,
                rejected, rejections, phase.late(), window.delivered.sum(), lost, dups, reordered(sessions) - reorderedBefore, latency,
                BenchReport.Latency.of(phase.responseMicros()), gatewaySide, Math.round(acceptedPerSecond),
                Math.round(window.delivered.sum() / deliverSeconds), lag.max(), lagEnd,
                (int) sessions.open.stream().filter(x -> x.closeCode != -1).count(), passed, ProcessProbe.usage(before, after));
    }

    private long eventCounter;

    /** Waits (bounded) until every session has every event producer-api accepted for its user (or its channel). */
    private static void awaitDelivered(Sender sender, Sessions sessions, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && lost(sender, sessions) > 0) {
            Thread.sleep(50);
        }
    }

    private static long lost(Sender sender, Sessions sessions) {
        long lost = 0;
        for (BenchSession session : sessions.open) {
            lost += Math.max(0, sender.acceptedFor(session) - session.unique());
        }
        return lost;
    }

    private static long duplicates(Sessions sessions) {
        return sessions.open.stream().mapToLong(BenchSession::duplicates).sum();
    }

    private static long reordered(Sessions sessions) {
        return sessions.open.stream().mapToLong(BenchSession::reordered).sum();
    }

    private static double heapMiB(Scrape scrape) {
        double bytes = scrape.sum("jvm_memory_used_bytes", "area=\"heap\"");
        return bytes < 0 ? -1 : Math.round(bytes / 1024 / 1024 * 10) / 10.0;
    }

    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("sessions", options.sessions());
        s.put("rate", options.rate());
        s.put("durationSeconds", options.duration().toMillis() / 1000.0);
        s.put("batchSize", options.batchSize());
        s.put("concurrency", options.concurrency());
        s.put("producer", options.producerUrl());
        s.put("gateways", options.gatewayUrls());
        s.put("store", options.storeUrl());
        s.put("rates", options.rates());
        s.put("p99LimitMs", options.p99LimitMs());
        s.put("rounds", options.rounds());
        if (options.mode() == BenchOptions.Mode.CHANNEL) {
            s.put("channel", options.channel());
            s.put("warmupSeconds", options.warmUp().toMillis() / 1000.0);
        }
        s.put("processors", Runtime.getRuntime().availableProcessors());
        s.put("java", System.getProperty("java.version"));
        return s;
    }

    private static String[] userIds(Sessions sessions, int count) {
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = sessions.userId(i);
        }
        return ids;
    }

    private static List<Integer> range(int count) {
        List<Integer> users = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            users.add(i);
        }
        return users;
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    static ExecutorService daemonPool(String name, int threads) {
        AtomicLong n = new AtomicLong();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Samples the store's lag once a second while a step runs; stops by itself after {@code limit}. */
    private static final class LagSampler {

        private final Scrape store;
        private final long limitNanos;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong max = new AtomicLong(-1);
        private Thread thread;

        LagSampler(Scrape store, Duration limit) {
            this.store = store;
            this.limitNanos = limit.toNanos();
        }

        void start() {
            long deadline = System.nanoTime() + limitNanos;
            thread = new Thread(() -> {
                while (running.get() && System.nanoTime() < deadline) {
                    max.accumulateAndGet(store.storeLag(), Math::max);
                    try {
                        Thread.sleep(1000);
                    }
                    catch (InterruptedException ex) {
                        return;
                    }
                }
            }, "bench-lag");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }

        long max() {
            return max.get();
        }
    }

    private static final String USAGE = """
            usage: java -jar bench-exec.jar --mode idle|latency|max-rate|fanout|channel [options]
              --sessions N          WebSocket sessions (idle: all on the first --gateway; fanout: all for one user;
                                    latency, max-rate, channel: one per user, on the gateways that own the users) [1000]
              --rate R              events/s (latency) [1000]; channel: messages/s of the sustained phase
                                    after the rounds, 0 = rounds only [0]
              --duration D          send phase, e.g. 60s (max-rate: per step) [60s]
              --batch B             events per request; 1 = POST /v1/notifications, >1 = /batch [1]
              --rates R1,R2,...     max-rate steps in events/s [500..10000 single, 2000..50000 batches]
              --p99-limit-ms L      max-rate: a step passes while p99 <= L, nothing is lost and all is accepted [100]
              --concurrency C       requests in flight to producer-api [64]
              --rounds K            fanout, channel: notifications (messages), one at a time [5]
              --channel C           channel: the channel every session subscribes to, below bench:* [bench:fan]
              --settle D            idle: wait before reading RSS [10s]
              --drain-timeout D     how long to wait for stragglers after a phase [15s]
              --open-concurrency C  session opens in flight [200]
              --producer URL [http://127.0.0.1:8080]  --store URL [http://127.0.0.1:8081]
              --gateway URL,URL     [http://127.0.0.1:8082,http://127.0.0.1:8083]
              --api-key K  --jwt-secret S  (the local stack's development defaults)
              --partitions P        of herald.user-events [12]
              --warmup D            unmeasured phase at up to 500 events/s before latency, max-rate and
                                    channel's sustained phase (at its rate) [10s]
              --token-ttl D         lifetime of the users' tokens [30m]
              --json FILE           also write the report as JSON
            Only 127.0.0.0/8 addresses are accepted.""";
}
