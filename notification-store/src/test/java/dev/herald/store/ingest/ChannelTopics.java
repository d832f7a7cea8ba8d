package dev.herald.store.ingest;

import java.util.Map;

import org.springframework.kafka.core.KafkaAdmin;

/** For tests of other packages: a {@link ChannelTopic} of a broker that is not there (cursors without an epoch). */
public final class ChannelTopics {

    private ChannelTopics() {
    }

    public static ChannelTopic unreachable() {
        return new ChannelTopic(new KafkaAdmin(Map.of("bootstrap.servers", "127.0.0.1:9")));
    }
}
