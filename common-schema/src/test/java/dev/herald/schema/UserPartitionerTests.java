package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class UserPartitionerTests {

    @Test
    void agreesWithKafkasDefaultPartitionerForKeyedRecords() {
        IntStream.range(0, 5_000).mapToObj(i -> "user-" + i + (i % 7 == 0 ? "-ünïcødé" : "")).forEach(user -> {
            for (int partitions : new int[] { 1, 3, 12, 50 }) {
                assertThat(UserPartitioner.partitionOf(user, partitions))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(user.getBytes(StandardCharsets.UTF_8), partitions));
            }
        });
    }

    @Test
    void spreadsUsersOverEveryPartition() {
        long used = IntStream.range(0, 1_000).map(i -> UserPartitioner.partitionOf("u" + i, 12)).distinct().count();
        assertThat(used).isEqualTo(12);
    }

    @Test
    void refusesANonPositivePartitionCount() {
        assertThatThrownBy(() -> UserPartitioner.partitionOf("u", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
