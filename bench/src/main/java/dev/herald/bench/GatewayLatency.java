package dev.herald.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gateways' own view of delivery latency ({@code herald_gateway_delivery_latency_seconds}:
 * producer-api accepting the event → its frame written to the socket), from the difference of their
 * histogram buckets before and after a phase. Compared with the generator's end-to-end figure it
 * shows how much of the time is spent on the generator's side of the socket. Quantiles are bucket
 * upper bounds, so they round up.
 */
final class GatewayLatency {

    static final String HISTOGRAM = "herald_gateway_delivery_latency_seconds";

    private final List<Scrape> gateways;

    GatewayLatency(List<Scrape> gateways) {
        this.gateways = gateways;
    }

    TreeMap<Double, Long> snapshot() {
        TreeMap<Double, Long> all = new TreeMap<>();
        for (Scrape gateway : gateways) {
            gateway.buckets(HISTOGRAM).forEach((le, count) -> all.merge(le, count, Long::sum));
        }
        return all;
    }

    /** p50, p99 and max (bucket upper bounds, ms) of what was recorded between two snapshots; -1 when unknown or above the highest bucket. */
    static BenchReport.GatewaySide between(TreeMap<Double, Long> before, TreeMap<Double, Long> after) {
        if (after.isEmpty()) {
            return new BenchReport.GatewaySide(0, -1, -1, -1);
        }
        TreeMap<Double, Long> diff = new TreeMap<>();
        after.forEach((le, count) -> diff.put(le, count - before.getOrDefault(le, 0L)));
        long total = diff.lastEntry().getValue();
        if (total <= 0) {
            return new BenchReport.GatewaySide(0, -1, -1, -1);
        }
        return new BenchReport.GatewaySide(total, bound(diff, total * 0.50), bound(diff, total * 0.99), bound(diff, total));
    }

    private static double bound(TreeMap<Double, Long> cumulative, double rank) {
        for (Map.Entry<Double, Long> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                double ms = bucket.getKey() * 1000;
                return Double.isInfinite(ms) ? -1 : Math.round(ms * 100) / 100.0; // above the highest bucket: unknown
            }
        }
        return -1;
    }
}
