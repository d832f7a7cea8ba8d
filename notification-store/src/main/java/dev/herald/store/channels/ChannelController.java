package dev.herald.store.channels;

import java.time.Duration;
import java.util.List;

import dev.herald.schema.Channels;
import dev.herald.schema.Cursor;
import dev.herald.store.ingest.ChannelPositions;
import dev.herald.store.ingest.ChannelTopic;
import dev.herald.store.system.StoreProperties;
import dev.herald.support.ApiException;
import dev.herald.support.Authentication;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A channel's history, for services with an API key (any channel) and for users whose token's
 * {@code channels} claim grants the channel. A gateway keeps a short history in memory; a client
 * whose cursor is older reads the gap here, following {@code next}, until {@code cursor} reaches
 * the gap's end.
 */
@RestController
class ChannelController {

    private final ChannelHistory history;
    private final ChannelPositions positions;
    private final ChannelTopic topic;
    private final StoreProperties properties;

    ChannelController(ChannelHistory history, ChannelPositions positions, ChannelTopic topic, StoreProperties properties) {
        this.history = history;
        this.positions = positions;
        this.topic = topic;
        this.properties = properties;
    }

    /**
     * @param grants the channel patterns of the caller's user token; null when the caller is a service
     */
    @GetMapping("/v1/channels/{channel}/messages")
    Page messages(@PathVariable String channel,
            @RequestAttribute(name = Authentication.CHANNELS, required = false) List<String> grants,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String before,
            @RequestParam(required = false) String after) {
        Channels.problemWith(channel).ifPresent(problem -> {
            throw ApiException.badRequest("channel", problem);
        });
        if (grants != null && !Channels.anyGrants(grants, channel)) {
            throw ApiException.forbidden("the user token's channels claim does not grant the channel '" + channel + "'");
        }
        int size = limit(limit);
        if (before != null && after != null) {
            throw ApiException.badRequest("after", "give either before or after, not both");
        }
        int partition = partitionOf(channel);
        Cursor beforeCursor = cursor("before", before, partition);
        Cursor afterCursor = cursor("after", after, partition);
        // Read the position first: every message at or below it is committed, so the page reflects
        // everything of the channel up to it, and what comes later is for the next poll.
        Cursor upTo = positions.current(partition);
        boolean oldestFirst = afterCursor != null;
        List<ChannelItem> items = history.page(channel, afterCursor == null ? -1 : afterCursor.offset(),
                beforeCursor == null ? Long.MAX_VALUE : beforeCursor.offset(), upTo, oldestFirst, size + 1);
        String next = null;
        if (items.size() > size) {
            items = items.subList(0, size);
            next = items.get(size - 1).cursor();
        }
        return new Page(items, next, upTo.toString());
    }

    private int partitionOf(String channel) {
        try {
            return topic.partitionOf(channel);
        }
        catch (IllegalStateException ex) {
            throw ApiException.unavailable("the event stream cannot be reached", Duration.ofSeconds(5));
        }
    }

    private int limit(String value) {
        if (value == null) {
            return properties.defaultPageSize();
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= properties.maxPageSize()) {
                return limit;
            }
        }
        catch (NumberFormatException ex) {
            // fall through to the refusal
        }
        throw ApiException.badRequest("limit", "must be a whole number from 1 to " + properties.maxPageSize());
    }

    /** A cursor of this channel's partition and of the topic as it is now; a cursor of a recreated topic means nothing here. */
    private Cursor cursor(String param, String value, int channelPartition) {
        if (value == null) {
            return null;
        }
        Cursor cursor;
        try {
            cursor = Cursor.parse(value);
        }
        catch (Cursor.MalformedCursorException ex) {
            throw ApiException.badRequest(param, ex.getMessage());
        }
        if (cursor.partition() != channelPartition) {
            throw ApiException.badRequest(param, "this cursor is not from this channel's stream (partition "
                    + cursor.partition() + " instead of " + channelPartition + ")");
        }
        if (!cursor.mayBeOf(topic.epochOrNull())) {
            throw ApiException.badRequest(param, "this cursor is of another incarnation of the channel stream (epoch "
                    + cursor.epoch() + " instead of " + topic.epochOrNull() + "); read the newest page instead");
        }
        return cursor;
    }

    /** A page of history; {@code cursor} is the position up to which everything of the channel is reflected. */
    record Page(List<ChannelItem> items, String next, String cursor) {
    }
}
