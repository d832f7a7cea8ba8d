package dev.herald.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.herald.schema.Channels;

/**
 * What one run does. Every count and time is bounded here, so that no run can go on for ever:
 * sessions ≤ 19,000 per process (the file-descriptor limit is 20,000), rates ≤ 200,000 events/s,
 * durations ≤ 10 minutes.
 *
 * <p>In {@code channel} mode {@code rate} is messages/s to the channel for the sustained phase after
 * the rounds, 0 (the default) for rounds only; the channel is below {@value #CHANNEL_GRANT}, the
 * pattern the sessions' tokens grant, so that a run never posts to a channel real clients follow.
 */
public record BenchOptions(
        Mode mode,
        int sessions,
        double rate,
        Duration duration,
        int batchSize,
        int concurrency,
        String producerUrl,
        List<String> gatewayUrls,
        String storeUrl,
        String apiKey,
        String jwtSecret,
        int partitions,
        Duration settle,
        Duration drainTimeout,
        List<Double> rates,
        double p99LimitMs,
        int rounds,
        String channel,
        int openConcurrency,
        Duration warmUp,
        Duration tokenTtl,
        String jsonFile) {

    public enum Mode { IDLE, LATENCY, MAX_RATE, FANOUT, CHANNEL }

    static final int MAX_SESSIONS = 19_000;
    static final double MAX_RATE = 200_000;
    static final Duration MAX_DURATION = Duration.ofMinutes(10);
    /** What the sessions' tokens grant in channel mode; {@code --channel} must be below it. */
    static final String CHANNEL_GRANT = "bench:*";
    static final String DEFAULT_CHANNEL = "bench:fan";

    private static final String MODES = "idle, latency, max-rate, fanout or channel";

    public static final String DEV_API_KEY = "herald-dev-api-key-NOT-FOR-PRODUCTION";
    public static final String DEV_JWT_SECRET = "herald-dev-jwt-secret-NOT-FOR-PRODUCTION-0123456789";

    public BenchOptions {
        if (mode == null) {
            throw new IllegalArgumentException("--mode is " + MODES);
        }
        if (sessions < 1 || sessions > MAX_SESSIONS) {
            throw new IllegalArgumentException("--sessions must be 1.." + MAX_SESSIONS + " per process, was " + sessions);
        }
        boolean rateInRange = rate <= MAX_RATE && (mode == Mode.CHANNEL ? rate >= 0 : rate > 0);
        if (!rateInRange) {
            throw new IllegalArgumentException(mode == Mode.CHANNEL
                    ? "--rate must be 0 (rounds only) to " + MAX_RATE + " messages/s"
                    : "--rate must be above 0 and at most " + MAX_RATE + " events/s");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("--duration must be above 0 and at most " + MAX_DURATION);
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("--batch must be 1..10000 (1 = single POSTs)");
        }
        if (concurrency < 1 || concurrency > 1_000) {
            throw new IllegalArgumentException("--concurrency must be 1..1000");
        }
        if (gatewayUrls.isEmpty()) {
            throw new IllegalArgumentException("--gateway needs at least one URL");
        }
        if (rounds < 1 || rounds > 100) {
            throw new IllegalArgumentException("--rounds must be 1..100");
        }
        if (mode == Mode.CHANNEL) {
            String problem = Channels.problemWith(channel).orElse(null);
            if (problem != null) {
                throw new IllegalArgumentException("--channel " + problem);
            }
            if (!Channels.grants(CHANNEL_GRANT, channel)) {
                throw new IllegalArgumentException("--channel must be below " + CHANNEL_GRANT + " (what the bench's tokens grant), not "
                        + channel);
            }
            if (batchSize != 1) {
                throw new IllegalArgumentException("--batch: channel messages are posted one at a time");
            }
        }
        if (openConcurrency < 1 || openConcurrency > 2_000) {
            throw new IllegalArgumentException("--open-concurrency must be 1..2000");
        }
        if (rates.size() > 50 || rates.stream().anyMatch(r -> !(r > 0) || r > MAX_RATE)) {
            throw new IllegalArgumentException("--rates takes at most 50 rates, each above 0 and at most " + MAX_RATE);
        }
        if (tokenTtl.compareTo(Duration.ofMinutes(2)) < 0 || tokenTtl.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("--token-ttl must be 2m..24h");
        }
        for (Duration d : List.of(settle, drainTimeout, warmUp)) {
            if (d.isNegative() || d.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException("--settle, --drain-timeout and --warmup must be 0.." + MAX_DURATION);
            }
        }
        // Every URL must point at 127.0.0.0/8: refuse before anything is sent.
        Loopback.requireLoopback(producerUrl);
        Loopback.requireLoopback(storeUrl);
        gatewayUrls.forEach(Loopback::requireLoopback);
        gatewayUrls = List.copyOf(gatewayUrls);
        rates = List.copyOf(rates);
    }

    /** The local stack's defaults. */
    private static BenchOptions defaults(Mode mode) {
        return new BenchOptions(mode, 1_000, mode == Mode.CHANNEL ? 0 : 1_000, Duration.ofSeconds(60), 1, 64,
                "http://127.0.0.1:8080", List.of("http://127.0.0.1:8082", "http://127.0.0.1:8083"), "http://127.0.0.1:8081",
                DEV_API_KEY, DEV_JWT_SECRET, 12, Duration.ofSeconds(10), Duration.ofSeconds(15),
                defaultRates(1), 100, 5, DEFAULT_CHANNEL, 200, Duration.ofSeconds(10), Duration.ofMinutes(30), null);
    }

    static List<Double> defaultRates(int batchSize) {
        return batchSize == 1
                ? List.of(500.0, 1_000.0, 2_000.0, 3_000.0, 4_000.0, 5_000.0, 6_000.0, 7_000.0, 8_000.0, 10_000.0)
                : List.of(2_000.0, 5_000.0, 10_000.0, 15_000.0, 20_000.0, 25_000.0, 30_000.0, 40_000.0, 50_000.0);
    }

    /**
     * Options as the command line gives them ({@code --mode latency --sessions 20 ...}); what is not
     * given takes the local stack's defaults.
     */
    public static BenchOptions parse(String... args) {
        String modeName = null;
        Integer sessions = null;
        Double rate = null;
        Duration duration = null;
        Integer batch = null;
        Integer concurrency = null;
        String producer = null;
        List<String> gateways = new ArrayList<>();
        String store = null;
        String key = null;
        String secret = null;
        Integer partitions = null;
        Duration settle = null;
        Duration drain = null;
        List<Double> rates = null;
        Double p99Limit = null;
        Integer rounds = null;
        String channel = null;
        Integer openConcurrency = null;
        Duration warmUp = null;
        Duration tokenTtl = null;
        String json = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                throw new UsageException(null);
            }
            if (i + 1 >= args.length) {
                throw new UsageException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--mode" -> modeName = value;
                case "--sessions" -> sessions = Integer.parseInt(value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--duration" -> duration = duration(value);
                case "--batch" -> batch = Integer.parseInt(value);
                case "--concurrency" -> concurrency = Integer.parseInt(value);
                case "--producer" -> producer = value;
                case "--gateway" -> gateways.addAll(List.of(value.split(",")));
                case "--store" -> store = value;
                case "--api-key" -> key = value;
                case "--jwt-secret" -> secret = value;
                case "--partitions" -> partitions = Integer.parseInt(value);
                case "--settle" -> settle = duration(value);
                case "--drain-timeout" -> drain = duration(value);
                case "--rates" -> rates = java.util.Arrays.stream(value.split(",")).map(Double::parseDouble).toList();
                case "--p99-limit-ms" -> p99Limit = Double.parseDouble(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--channel" -> channel = value;
                case "--open-concurrency" -> openConcurrency = Integer.parseInt(value);
                case "--warmup" -> warmUp = duration(value);
                case "--token-ttl" -> tokenTtl = duration(value);
                case "--json" -> json = value;
                default -> throw new UsageException("unknown option " + name);
            }
        }
        if (modeName == null) {
            throw new UsageException("--mode is required");
        }
        Mode mode = switch (modeName) {
            case "idle" -> Mode.IDLE;
            case "latency" -> Mode.LATENCY;
            case "max-rate" -> Mode.MAX_RATE;
            case "fanout" -> Mode.FANOUT;
            case "channel" -> Mode.CHANNEL;
            default -> throw new UsageException("--mode is " + MODES + ", not " + modeName);
        };
        BenchOptions d = defaults(mode);
        int batchSize = batch != null ? batch : d.batchSize();
        return new BenchOptions(mode, or(sessions, d.sessions()), or(rate, d.rate()), or(duration, d.duration()), batchSize,
                or(concurrency, d.concurrency()), or(producer, d.producerUrl()), gateways.isEmpty() ? d.gatewayUrls() : gateways,
                or(store, d.storeUrl()), or(key, d.apiKey()), or(secret, d.jwtSecret()), or(partitions, d.partitions()),
                or(settle, d.settle()), or(drain, d.drainTimeout()), or(rates, defaultRates(batchSize)), or(p99Limit, d.p99LimitMs()),
                or(rounds, d.rounds()), or(channel, d.channel()), or(openConcurrency, d.openConcurrency()), or(warmUp, d.warmUp()),
                or(tokenTtl, d.tokenTtl()), json);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** {@code 60s}, {@code 500ms}, {@code 2m}, or plain seconds. */
    static Duration duration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
        }
        if (text.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)) * 60);
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
    }

    static final class UsageException extends IllegalArgumentException {

        UsageException(String message) {
            super(message);
        }
    }
}
