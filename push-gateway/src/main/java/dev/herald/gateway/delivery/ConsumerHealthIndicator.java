package dev.herald.gateway.delivery;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** DOWN when the partition consumer has died: such a gateway serves nobody and should be replaced. */
@Component
class ConsumerHealthIndicator extends AbstractHealthIndicator {

    private final PartitionConsumer consumer;
    private final PartitionRegistry registry;

    ConsumerHealthIndicator(PartitionConsumer consumer, PartitionRegistry registry) {
        this.consumer = consumer;
        this.registry = registry;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        String failure = consumer.failure();
        if (failure != null) {
            builder.down().withDetail("error", failure);
        }
        else {
            builder.up().withDetail("ownedPartitions", registry.ownedPartitions());
        }
    }
}
