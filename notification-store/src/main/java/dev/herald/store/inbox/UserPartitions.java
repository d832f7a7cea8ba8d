package dev.herald.store.inbox;

import dev.herald.schema.Topics;
import dev.herald.schema.UserPartitioner;
import dev.herald.support.ApiException;

import java.time.Duration;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** The partition of a user, from the real partition count of {@code herald.user-events}. */
@Component
class UserPartitions {

    private final KafkaTemplate<String, byte[]> kafka;
    private volatile int partitions;

    UserPartitions(KafkaTemplate<String, byte[]> kafka) {
        this.kafka = kafka;
    }

    int of(String userId) {
        return UserPartitioner.partitionOf(userId, partitions());
    }

    private int partitions() {
        // The count is fixed at topic creation, so one successful look-up is enough.
        if (partitions == 0) {
            try {
                partitions = kafka.partitionsFor(Topics.USER_EVENTS).size();
            }
            catch (RuntimeException ex) {
                throw ApiException.unavailable("the event stream cannot be reached", Duration.ofSeconds(5));
            }
        }
        return partitions;
    }
}
