package dev.herald.bench;

import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/** Everything one run measured; printed as a table and written as JSON. */
public record BenchReport(String mode, String runId, String startedAt, Map<String, Object> settings, Opened opened,
        List<Step> steps, Idle idle, Fanout fanout, Broadcast broadcast, List<ProcessUsage> processes, String verdict) {

    /** A process's CPU between two samples (100 = one core busy) and its RSS at the second. */
    public record ProcessUsage(String name, long pid, double cpuPercent, long rssKiB) {
    }

    /** Latency quantiles in milliseconds. */
    public record Latency(long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs) {

        static Latency of(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0);
            }
            return new Latency(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
                    ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()));
        }

        private static double ms(long micros) {
            return Math.round(micros / 10.0) / 100.0;
        }
    }

    /** The gateways' own delivery latency over a phase (bucket upper bounds in ms; -1 when not scraped). */
    public record GatewaySide(long frames, double p50Ms, double p99Ms, double maxMs) {
    }

    /** How opening the sessions went. */
    public record Opened(int wanted, int opened, int failed, Map<String, Integer> failures, Map<String, Integer> perGateway,
            double seconds) {
    }

    /** One load phase at one rate. */
    public record Step(double targetRate, int batchSize, long events, long requests, double sendSeconds, long accepted,
            long rejected, Map<String, Integer> rejections, long late, long delivered, long lost, long duplicates,
            long reordered, Latency latency, Latency postResponse, GatewaySide gatewaySide, double acceptedPerSecond, double deliveredPerSecond, long storeLagMax,
            long storeLagEnd, int sessionsClosed, boolean passed, List<ProcessUsage> processes) {
    }

    public record Idle(String gateway, long gatewayPid, long baselineRssKiB, long rssKiB, double kibPerSession,
            double heapBaselineMiB, double heapMiB, int sessionsStillOpen, long generatorRssKiB) {
    }

    public record Fanout(int sessions, List<Round> rounds, double medianLastMs, double maxLastMs) {
    }

    /**
     * Channel mode: {@code subscribers} sessions of as many users, on {@code gateways} gateways,
     * following {@code channel}; the rounds of one message each (the sustained phase, if any, is the
     * report's step). {@code processes}: CPU over the rounds.
     */
    public record Broadcast(String channel, int subscribers, int gateways, List<Round> rounds, double medianLastMs,
            double maxLastMs, List<ProcessUsage> processes) {
    }

    /** One event to many sessions: how many had it, and when (ms after it was due). */
    public record Round(long received, long expected, long duplicates, double firstMs, double lastMs, Latency latency,
            GatewaySide gatewaySide) {
    }

    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nHerald bench — mode %s, run %s, %s%n", mode, runId, startedAt));
        if (opened != null) {
            out.append(String.format("sessions: %d of %d opened in %.1f s (%d failed) %s%s%n", opened.opened(), opened.wanted(),
                    opened.seconds(), opened.failed(), opened.perGateway(), opened.failures().isEmpty() ? "" : " failures " + opened.failures()));
        }
        if (idle != null) {
            out.append(String.format("idle: gateway %s (pid %d) RSS %d KiB -> %d KiB: %.2f KiB/session above baseline;"
                            + " heap %.1f -> %.1f MiB; %d sessions still open; generator RSS %d KiB%n",
                    idle.gateway(), idle.gatewayPid(), idle.baselineRssKiB(), idle.rssKiB(), idle.kibPerSession(),
                    idle.heapBaselineMiB(), idle.heapMiB(), idle.sessionsStillOpen(), idle.generatorRssKiB()));
        }
        if (broadcast != null) {
            out.append(String.format("channel %s: %d subscribers (one per user) on %d gateways%n", broadcast.channel(),
                    broadcast.subscribers(), broadcast.gateways()));
            for (Round r : broadcast.rounds()) {
                out.append(String.format("broadcast round: %d/%d deliveries, first %.2f ms, p50 %.2f ms, p99 %.2f ms, last %.2f ms, %d duplicates;"
                                + " gateways wrote the last frame after <= %.2f ms%n",
                        r.received(), r.expected(), r.firstMs(), r.latency().p50Ms(), r.latency().p99Ms(), r.lastMs(), r.duplicates(),
                        r.gatewaySide().maxMs()));
            }
            out.append(String.format("broadcast to %d subscribers: last delivery after %.2f ms (median of rounds), %.2f ms (worst)%n",
                    broadcast.subscribers(), broadcast.medianLastMs(), broadcast.maxLastMs()));
            out.append("rounds' processes: ").append(usage(broadcast.processes())).append('\n');
            if (!steps.isEmpty()) {
                out.append("sustained: rate/s is messages/s to the channel; delivered, deliv/s, lost and dups count messages x subscribers\n");
            }
        }
        if (!steps.isEmpty()) {
            out.append(String.format("%9s %5s %8s %8s %6s %9s %9s %7s %7s %7s %7s %8s %8s %5s %5s %7s %s%n", "rate/s", "batch",
                    "accepted", "rejected", "late", "acc/s", "deliv/s", "p50ms", "p90ms", "p99ms", "p99.9ms", "maxms",
                    "postp99", "lost", "dups", "lagmax", "pass"));
            for (Step s : steps) {
                out.append(String.format("%9.0f %5d %8d %8d %6d %9.0f %9.0f %7.2f %7.2f %7.2f %7.2f %8.2f %8.2f %5d %5d %7d %s%n",
                        s.targetRate(), s.batchSize(), s.accepted(), s.rejected(), s.late(), s.acceptedPerSecond(),
                        s.deliveredPerSecond(), s.latency().p50Ms(), s.latency().p90Ms(), s.latency().p99Ms(),
                        s.latency().p999Ms(), s.latency().maxMs(), s.postResponse().p99Ms(), s.lost(), s.duplicates(),
                        s.storeLagMax(), s.passed() ? "yes" : "NO"));
                if (s.sessionsClosed() > 0) {
                    out.append("          sessions closed by the server so far: ").append(s.sessionsClosed()).append('\n');
                }
                if (s.reordered() > 0) {
                    out.append("          reordered: ").append(s.reordered()).append(" events arrived after a later-sent one of the same user"
                            + " (POSTs in flight together: Herald keeps the order producer-api accepted them in)\n");
                }
                if (!s.rejections().isEmpty()) {
                    out.append("          rejections: ").append(s.rejections()).append('\n');
                }
                out.append(String.format("          gateways' own delivery latency (accepted -> frame written, bucket bounds): p50 <= %.2f ms, p99 <= %.2f ms, max <= %.2f ms over %d frames%n",
                        s.gatewaySide().p50Ms(), s.gatewaySide().p99Ms(), s.gatewaySide().maxMs(), s.gatewaySide().frames()));
                out.append("          processes: ").append(usage(s.processes())).append('\n');
            }
        }
        if (fanout != null) {
            for (Round r : fanout.rounds()) {
                out.append(String.format("fan-out round: %d/%d sessions got it, first %.2f ms, p50 %.2f ms, p99 %.2f ms, last %.2f ms, %d duplicates;"
                                + " gateway wrote the last frame after <= %.2f ms%n",
                        r.received(), r.expected(), r.firstMs(), r.latency().p50Ms(), r.latency().p99Ms(), r.lastMs(), r.duplicates(),
                        r.gatewaySide().maxMs()));
            }
            out.append(String.format("fan-out to %d sessions: last session after %.2f ms (median of rounds), %.2f ms (worst)%n",
                    fanout.sessions(), fanout.medianLastMs(), fanout.maxLastMs()));
        }
        if (processes != null && !processes.isEmpty()) {
            out.append("processes over the run: ").append(usage(processes)).append('\n');
        }
        out.append("verdict: ").append(verdict).append('\n');
        return out.toString();
    }

    private static String usage(List<ProcessUsage> usage) {
        StringBuilder out = new StringBuilder();
        for (ProcessUsage u : usage) {
            out.append(String.format("%s %.0f%% CPU %d MiB; ", u.name(), u.cpuPercent(), u.rssKiB() / 1024));
        }
        return out.toString();
    }
}
