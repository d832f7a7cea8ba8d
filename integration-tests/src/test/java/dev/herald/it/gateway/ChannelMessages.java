package dev.herald.it.gateway;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.herald.it.support.Kafka;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.ChannelMessage;
import dev.herald.schema.ChannelMessageCodec;
import dev.herald.schema.Cursor;
import dev.herald.schema.Topics;

/**
 * Channel messages written straight to {@code herald.channel-events}, as producer-api writes them
 * (also used by the browser tests).
 */
public final class ChannelMessages {

    private ChannelMessages() {
    }

    /** A channel no other test uses. */
    public static String newChannel(String family) {
        return family + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Publishes {@code count} messages to {@code channel}; returns their event ids and cursors, in order. */
    public static List<Map.Entry<String, Cursor>> publish(String channel, int count) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "m-" + UUID.randomUUID();
            ids.add(id);
            records.add(Map.entry(channel, ChannelMessageCodec.encode(ChannelMessage.of(id, channel, "system.alert",
                    "Message " + i, "", null, now, now, "it"))));
        }
        List<Cursor> cursors = Kafka.produce(TestKafka.bootstrapServers(), Topics.CHANNEL_EVENTS, records);
        List<Map.Entry<String, Cursor>> published = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            published.add(Map.entry(ids.get(i), cursors.get(i)));
        }
        return published;
    }
}
