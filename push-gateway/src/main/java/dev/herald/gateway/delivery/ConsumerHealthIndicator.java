package dev.herald.gateway.delivery;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.herald.gateway.ownership.Ownership;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Health {@code consumer}, part of readiness: DOWN when the partition consumer or the channel
 * consumer has died (such a gateway cannot serve and should be replaced), OUT_OF_SERVICE while owned partitions are still
 * warming their history, UP otherwise.
 */
@Component
class ConsumerHealthIndicator extends AbstractHealthIndicator {

    private final List<ConsumerLoop> consumers;
    private final Ownership ownership;

    ConsumerHealthIndicator(List<ConsumerLoop> consumers, Ownership ownership) {
        this.consumers = consumers;
        this.ownership = ownership;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        String failure = consumers.stream().map(ConsumerLoop::failure).filter(Objects::nonNull).findFirst().orElse(null);
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
