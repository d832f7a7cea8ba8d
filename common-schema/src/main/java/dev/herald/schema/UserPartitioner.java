package dev.herald.schema;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

/**
 * The partition of a user: exactly what Kafka's default partitioner picks for a record keyed by
 * the user id, so producers, the store and the gateways agree without asking each other.
 */
public final class UserPartitioner {

    private UserPartitioner() {
    }

    public static int partitionOf(String userId, int partitions) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("partitions must be positive, was " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
