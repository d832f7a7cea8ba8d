package dev.herald.it.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import dev.herald.it.support.Kafka;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.Cursor;
import dev.herald.support.ConsumerLagMetrics;

import org.springframework.kafka.core.KafkaAdmin;

/**
 * {@code herald.consumer.lag} is there for every partition of the topic as soon as the service has
 * built it (before its web server answers a scrape), also for a group that has committed nothing:
 * then the lag is every record the partition holds.
 */
class ConsumerLagMetricsIntegrationTests {

    private static final int PARTITIONS = 3;

    @Test
    void everyPartitionIsReportedOnceTheConstructorReturnsAlsoBeforeTheGroupCommitted() throws Exception {
        String topic = "lag-" + UUID.randomUUID();
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
        List<Cursor> written = Kafka.produce(TestKafka.bootstrapServers(), topic,
                Collections.nCopies(5, Map.entry("one-key", "x".getBytes(StandardCharsets.UTF_8))));
        int filled = written.get(0).partition();

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ConsumerLagMetrics lag = new ConsumerLagMetrics(new KafkaAdmin(config), registry, "no-commits-yet", topic,
                Duration.ofMinutes(10))) {
            List<Gauge> gauges = List.copyOf(registry.find("herald.consumer.lag").tag("topic", topic).gauges());
            assertThat(gauges).as("one gauge per partition, without waiting for a refresh").hasSize(PARTITIONS);
            for (Gauge gauge : gauges) {
                int partition = Integer.parseInt(gauge.getId().getTag("partition"));
                assertThat(gauge.getId().getTag("group")).isEqualTo("no-commits-yet");
                assertThat(gauge.value()).as("partition %d", partition).isEqualTo(partition == filled ? 5.0 : 0.0);
            }
        }
    }
}
