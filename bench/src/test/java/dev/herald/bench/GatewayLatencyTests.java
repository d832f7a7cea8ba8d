package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class GatewayLatencyTests {

    @Test
    void gatewayQuantilesComeFromBucketDifferences() {
        var before = new TreeMap<>(Map.of(0.001, 5L, 0.01, 10L, Double.POSITIVE_INFINITY, 10L));
        var after = new TreeMap<>(Map.of(0.001, 55L, 0.01, 109L, Double.POSITIVE_INFINITY, 110L));

        BenchReport.GatewaySide side = GatewayLatency.between(before, after);

        assertThat(side.frames()).isEqualTo(100);
        assertThat(side.p50Ms()).isEqualTo(1.0);
        assertThat(side.p99Ms()).isEqualTo(10.0);
        assertThat(side.maxMs()).as("above the highest finite bucket").isEqualTo(-1);
    }
}
