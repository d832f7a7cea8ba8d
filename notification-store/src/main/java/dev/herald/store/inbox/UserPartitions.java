package dev.herald.store.inbox;

import java.time.Duration;

import dev.herald.support.ApiException;
import dev.herald.support.TopicLayout;

import org.springframework.stereotype.Component;

/** The partition of a user, from the partition count of {@code herald.user-events} as last read. */
@Component
class UserPartitions {

    private final TopicLayout topic;

    UserPartitions(TopicLayout topic) {
        this.topic = topic;
    }

    int of(String userId) {
        try {
            return topic.partitionOf(userId);
        }
        catch (IllegalStateException ex) {
            throw ApiException.unavailable("the event stream cannot be reached", Duration.ofSeconds(5));
        }
    }
}
