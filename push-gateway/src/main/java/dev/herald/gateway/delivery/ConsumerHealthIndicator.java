package dev.herald.gateway.delivery;

import java.util.Set;

import dev.herald.gateway.ownership.Ownership;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Health {@code consumer}, part of readiness: DOWN when the partition consumer has died (such a
 * gateway serves nobody and should be replaced), OUT_OF_SERVICE while owned partitions are still
 * warming their history, UP otherwise.
 */
@Component
class ConsumerHealthIndicator extends AbstractHealthIndicator {

    private final PartitionConsumer consumer;
    private final Ownership ownership;

    ConsumerHealthIndicator(PartitionConsumer consumer, Ownership ownership) {
        this.consumer = consumer;
        this.ownership = ownership;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        String failure = consumer.failure();
        Set<Integer> warming = ownership.warmingPartitions().keySet();
        if (failure != null) {
            builder.down().withDetail("error", failure);
        }
        else if (!warming.isEmpty()) {
            builder.outOfService().withDetail("warming", warming);
        }
        else {
            builder.up().withDetail("ownedPartitions", ownership.ownedPartitions());
        }
    }
}
