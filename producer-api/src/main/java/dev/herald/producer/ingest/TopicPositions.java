package dev.herald.producer.ingest;

import dev.herald.schema.Cursor;
import dev.herald.schema.Topics;
import dev.herald.support.TopicLayout;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/** Positions in the user topic and the channel topic, each with its own epoch. */
@Component
class TopicPositions implements Positions, DisposableBean {

    private final TopicLayout userTopic;
    private final TopicLayout channelTopic;

    TopicPositions(TopicLayout userTopic, KafkaAdmin kafkaAdmin) {
        this.userTopic = userTopic;
        this.channelTopic = new TopicLayout(kafkaAdmin.getConfigurationProperties(), Topics.CHANNEL_EVENTS,
                TopicLayout.REFRESH_EVERY);
    }

    @Override
    public Cursor cursor(String topic, int partition, long offset) {
        return (Topics.CHANNEL_EVENTS.equals(topic) ? channelTopic : userTopic).cursor(partition, offset);
    }

    @Override
    public void destroy() {
        channelTopic.destroy();
    }
}
