package dev.herald.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import dev.herald.it.support.TestKafka;
import dev.herald.support.TopicLayout;

/**
 * The services' view of the user topic follows the topic: more partitions, or a topic deleted and
 * created again (a new epoch), are noticed without a restart, so cursors of the old layout get
 * resync instead of being trusted.
 */
class TopicLayoutIntegrationTests {

    @Test
    void noticesNewPartitionsAndARecreatedTopic() throws Exception {
        String name = "it-layout-" + UUID.randomUUID();
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic(name, 2, (short) 1))).all().get();
            TopicLayout topic = new TopicLayout(config, name, Duration.ofMillis(200));
            try {
                TopicLayout.Layout first = topic.layout();
                assertThat(first.partitions()).isEqualTo(2);
                assertThat(topic.cursor(1, 5).epoch()).isEqualTo(first.epoch());

                admin.createPartitions(Map.of(name, NewPartitions.increaseTo(4))).all().get();
                await().atMost(Duration.ofSeconds(20)).until(() -> topic.layout().partitions() == 4);
                assertThat(topic.layout().epoch()).as("same topic, same epoch").isEqualTo(first.epoch());

                admin.deleteTopics(List.of(name)).all().get();
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                    admin.createTopics(List.of(new NewTopic(name, 3, (short) 1))).all().get();
                    return true;
                });
                await().atMost(Duration.ofSeconds(20)).until(() -> topic.layout().partitions() == 3);
                assertThat(topic.layout().epoch()).as("a recreated topic is another epoch").isNotEqualTo(first.epoch());
                assertThat(topic.cursor(0, 0).mayBeOf(first.epoch())).isFalse();
            }
            finally {
                topic.destroy();
                admin.deleteTopics(List.of(name));
            }
        }
    }
}
