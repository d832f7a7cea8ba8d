package dev.herald.store.inbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.herald.schema.Channels;
import dev.herald.schema.Cursor;
import dev.herald.schema.FieldError;
import dev.herald.schema.NotificationFields;
import dev.herald.store.filters.FilterKeys;
import dev.herald.schema.Preferences;
import dev.herald.store.ingest.AppliedPositions;
import dev.herald.store.paging.PageParameters;
import dev.herald.store.system.StoreProperties;
import dev.herald.support.ApiException;
import dev.herald.support.Authentication;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.node.StringNode;

/**
 * The inbox API: {@code /v1/me/...} for the user a token names, {@code /v1/users/{userId}/...} for
 * services with an API key. Both answer the same way.
 */
@RestController
class InboxController {

    private final InboxRepository inbox;
    private final ChannelInbox channels;
    private final AppliedPositions positions;
    private final UserPartitions partitions;
    private final ReadStates readStates;
    private final UnreadCounts unreadCounts;
    private final StoreProperties properties;
    private final PreferencesRepository preferences;

    InboxController(InboxRepository inbox, ChannelInbox channels, AppliedPositions positions, UserPartitions partitions,
            ReadStates readStates, UnreadCounts unreadCounts, StoreProperties properties, PreferencesRepository preferences) {
        this.inbox = inbox;
        this.channels = channels;
        this.positions = positions;
        this.partitions = partitions;
        this.readStates = readStates;
        this.unreadCounts = unreadCounts;
        this.properties = properties;
        this.preferences = preferences;
    }

    @GetMapping("/v1/me/notifications")
    Page myNotifications(@RequestAttribute(Authentication.USER) String userId, @RequestParam(required = false) String status,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String before,
            @RequestParam(required = false) String after, @RequestParam(required = false) String muted,
            @RequestParam(required = false) String type, @RequestParam(required = false) String tag) {
        return page(userId, status, limit, before, after, muted, filterKey(type, tag));
    }

    @GetMapping("/v1/users/{userId}/notifications")
    Page userNotifications(@PathVariable String userId, @RequestParam(required = false) String status,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String before,
            @RequestParam(required = false) String after, @RequestParam(required = false) String muted,
            @RequestParam(required = false) String type, @RequestParam(required = false) String tag) {
        return page(validUser(userId), status, limit, before, after, muted, filterKey(type, tag));
    }

    @GetMapping("/v1/me/notifications/unread-count")
    UnreadCounts.UnreadCount myUnreadCount(@RequestAttribute(Authentication.USER) String userId) {
        return unreadCounts.of(userId, partitions.of(userId));
    }

    @GetMapping("/v1/users/{userId}/notifications/unread-count")
    UnreadCounts.UnreadCount userUnreadCount(@PathVariable String userId) {
        return myUnreadCount(validUser(userId));
    }

    /** @param channel for a message of an inbox channel, its channel (an item's {@code channel}) */
    @PostMapping("/v1/me/notifications/{eventId}/read")
    ResponseEntity<ReadResult> markMineRead(@RequestAttribute(Authentication.USER) String userId, @PathVariable String eventId,
            @RequestParam(required = false) String channel) {
        return markRead(userId, eventId, channel);
    }

    @PostMapping("/v1/users/{userId}/notifications/{eventId}/read")
    ResponseEntity<ReadResult> markUsersRead(@PathVariable String userId, @PathVariable String eventId,
            @RequestParam(required = false) String channel) {
        return markRead(validUser(userId), eventId, channel);
    }

    @PostMapping("/v1/me/notifications/read-all")
    ResponseEntity<ReadResult> markAllMineRead(@RequestAttribute(Authentication.USER) String userId) {
        return result(userId, readStates.markAllRead(userId));
    }

    @PostMapping("/v1/users/{userId}/notifications/read-all")
    ResponseEntity<ReadResult> markAllUsersRead(@PathVariable String userId) {
        String user = validUser(userId);
        return result(user, readStates.markAllRead(user));
    }

    /**
     * The user's own notifications and the inbox channels' messages, merged by {@link InboxMerge}. A
     * page without a cursor reads every stream; one with a cursor reads the streams it names (the
     * user's always), each from where the cursor left it, so paging neither skips nor repeats.
     *
     * <p>A page of a filter key ({@code type=order.*}, {@code tag=vip}) holds the user's own
     * notifications only: inbox-channel messages have no tags, and are left out of filtered pages and
     * counts alike.
     */
    private Page page(String userId, String statusParam, String limitParam, String beforeParam, String afterParam,
            String mutedParam, String filterKey) {
        InboxRepository.Status status = status(statusParam);
        MutedFilter muted = MutedFilter.of(mutedParam);
        int limit = PageParameters.limit(limitParam, properties);
        PageParameters.requireAtMostOne(beforeParam, afterParam);
        int partition = partitions.of(userId);
        InboxCursor before = cursor("before", beforeParam, partition);
        InboxCursor after = cursor("after", afterParam, partition);
        // Read the position first: every item at or below it is committed, so the page reflects
        // everything up to it, and items above it are left to the gateway (since = cursor).
        Cursor upTo = positions.current(partition);
        boolean oldestFirst = after != null;
        InboxCursor from = oldestFirst ? after : before;
        long userBound = from != null ? from.user().offset() : upTo.offset() + 1;
        Map<String, List<InboxMerge.Candidate<InboxItem>>> streams = new LinkedHashMap<>();
        long afterBound = oldestFirst ? userBound : -1;
        long beforeBound = oldestFirst ? Long.MAX_VALUE : userBound;
        streams.put(InboxMerge.USER, inbox.page(userId, filterKey, status, muted, afterBound, beforeBound, upTo, oldestFirst,
                limit + 1));
        List<String> channelStreams = filterKey != null ? List.of()
                : from == null ? channels.channels() : List.copyOf(from.channels().keySet());
        Preferences set = muted == MutedFilter.EXCLUDE ? preferences.current(userId) : Preferences.NONE;
        for (String channel : muted.showsUnmuted() ? channelStreams : List.<String>of()) {
            long bound = from == null ? (oldestFirst ? -1 : Long.MAX_VALUE) : from.channels().get(channel);
            streams.put(channel, channels.page(userId, channel, status, channels.mutedTypes(channel, set), oldestFirst ? bound : -1,
                    oldestFirst ? Long.MAX_VALUE : bound, oldestFirst, limit + 1));
        }
        InboxMerge.Page<InboxItem> page = InboxMerge.merge(streams, oldestFirst, limit);
        String next = null;
        if (page.more()) {
            Map<String, Long> left = new LinkedHashMap<>(page.positions());
            Long user = left.remove(InboxMerge.USER);
            next = new InboxCursor(positions.cursor(partition, user == null ? userBound : user), left).toString();
        }
        return new Page(page.items(), next, upTo.toString());
    }

    /**
     * A page cursor of the user's partition; each channel it names must be an inbox channel (one
     * that is no longer configured cannot be paged).
     */
    private InboxCursor cursor(String param, String value, int partition) {
        if (value == null) {
            return null;
        }
        InboxCursor cursor;
        try {
            cursor = InboxCursor.parse(value);
        }
        catch (IllegalArgumentException ex) {
            throw ApiException.badRequest(param, ex.getMessage());
        }
        PageParameters.cursor(param, cursor.user().toString(), partition, "user");
        for (String channel : cursor.channels().keySet()) {
            if (!channels.isInboxChannel(channel)) {
                throw ApiException.badRequest(param, "names channel '" + channel + "', which is not an inbox channel");
            }
        }
        return cursor;
    }

    private ResponseEntity<ReadResult> markRead(String userId, String eventId, String channel) {
        List<FieldError> errors = new ArrayList<>();
        NotificationFields.eventId(StringNode.valueOf(eventId), "eventId", errors);
        if (channel != null) {
            Channels.problemWith(channel).ifPresentOrElse(problem -> errors.add(new FieldError("channel", problem)), () -> {
                if (!channels.isInboxChannel(channel)) {
                    errors.add(new FieldError("channel", "is not an inbox channel (herald.store.inbox-channels)"));
                }
            });
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        if (channel != null) {
            // Every user has the inbox channels' messages: 404 only when the channel has no such message.
            if (!channels.holds(channel, eventId)) {
                throw ApiException.notFound("no message " + eventId + " in inbox channel " + channel);
            }
            return result(userId, readStates.markChannelRead(userId, channel, eventId));
        }
        // 404 both for a missing notification and for another user's: ids reveal nothing. An eventId
        // is unique per sender, so this marks every notification of this user that has it.
        if (!inbox.holds(userId, eventId)) {
            throw ApiException.notFound("no notification " + eventId + " in this inbox");
        }
        return result(userId, readStates.markRead(userId, eventId));
    }

    private ResponseEntity<ReadResult> result(String userId, ReadStates.Change change) {
        // 200 once the inbox reflects the change; 202 if it is durably queued but not applied in time.
        HttpStatus status = change.applied() ? HttpStatus.OK : HttpStatus.ACCEPTED;
        UnreadCounts.Counts counts = unreadCounts.counts(userId);
        return ResponseEntity.status(status)
                .body(new ReadResult(change.eventId(), change.cursor().toString(), change.applied(), counts.unread(),
                        counts.unseen()));
    }

    static String validUser(String userId) {
        List<FieldError> errors = new ArrayList<>();
        NotificationFields.userId(StringNode.valueOf(userId), "userId", errors);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        return userId;
    }

    /** The filter key of the list's {@code type} or {@code tag} parameter, null when neither is given. */
    private static String filterKey(String type, String tag) {
        if (type != null && tag != null) {
            throw ApiException.badRequest("tag", "give either type or tag, not both");
        }
        if (type == null && tag == null) {
            return null;
        }
        FilterKeys.Result parsed = type != null ? FilterKeys.typeFilter(type) : FilterKeys.tagFilter(tag);
        if (parsed.refused()) {
            throw ApiException.badRequest(type != null ? "type" : "tag", parsed.problem());
        }
        return parsed.key().orElseThrow();
    }

    private static InboxRepository.Status status(String value) {
        if (value == null) {
            return InboxRepository.Status.ALL;
        }
        try {
            return InboxRepository.Status.valueOf(value.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw ApiException.badRequest("status", "must be one of " + InboxRepository.Status.NAMES);
        }
    }

    record Page(List<InboxItem> items, String next, String cursor) {
    }

    /** The answer to a state change (read, seen, archive…): the user's counts once it is applied. */
    record ReadResult(String eventId, String cursor, boolean applied, int unread, int unseen) {
    }
}
