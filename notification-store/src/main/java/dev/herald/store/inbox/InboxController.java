package dev.herald.store.inbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.herald.schema.Cursor;
import dev.herald.schema.FieldError;
import dev.herald.schema.NotificationFields;
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
    private final AppliedPositions positions;
    private final UserPartitions partitions;
    private final ReadStates readStates;
    private final UnreadCounts unreadCounts;
    private final StoreProperties properties;

    InboxController(InboxRepository inbox, AppliedPositions positions, UserPartitions partitions, ReadStates readStates,
            UnreadCounts unreadCounts, StoreProperties properties) {
        this.inbox = inbox;
        this.positions = positions;
        this.partitions = partitions;
        this.readStates = readStates;
        this.unreadCounts = unreadCounts;
        this.properties = properties;
    }

    @GetMapping("/v1/me/notifications")
    Page myNotifications(@RequestAttribute(Authentication.USER) String userId, @RequestParam(required = false) String status,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String before,
            @RequestParam(required = false) String after) {
        return page(userId, status, limit, before, after);
    }

    @GetMapping("/v1/users/{userId}/notifications")
    Page userNotifications(@PathVariable String userId, @RequestParam(required = false) String status,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String before,
            @RequestParam(required = false) String after) {
        return page(validUser(userId), status, limit, before, after);
    }

    @GetMapping("/v1/me/notifications/unread-count")
    UnreadCounts.UnreadCount myUnreadCount(@RequestAttribute(Authentication.USER) String userId) {
        return unreadCounts.of(userId, partitions.of(userId));
    }

    @GetMapping("/v1/users/{userId}/notifications/unread-count")
    UnreadCounts.UnreadCount userUnreadCount(@PathVariable String userId) {
        return myUnreadCount(validUser(userId));
    }

    @PostMapping("/v1/me/notifications/{eventId}/read")
    ResponseEntity<ReadResult> markMineRead(@RequestAttribute(Authentication.USER) String userId, @PathVariable String eventId) {
        return markRead(userId, eventId);
    }

    @PostMapping("/v1/users/{userId}/notifications/{eventId}/read")
    ResponseEntity<ReadResult> markUsersRead(@PathVariable String userId, @PathVariable String eventId) {
        return markRead(validUser(userId), eventId);
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

    private Page page(String userId, String statusParam, String limitParam, String beforeParam, String afterParam) {
        InboxRepository.Status status = status(statusParam);
        int limit = PageParameters.limit(limitParam, properties);
        PageParameters.requireAtMostOne(beforeParam, afterParam);
        int partition = partitions.of(userId);
        Cursor before = PageParameters.cursor("before", beforeParam, partition, "user");
        Cursor after = PageParameters.cursor("after", afterParam, partition, "user");
        // Read the position first: every item at or below it is committed, so the page reflects
        // everything up to it, and items above it are left to the gateway (since = cursor).
        Cursor upTo = positions.current(partition);
        boolean oldestFirst = after != null;
        List<InboxItem> items = inbox.page(userId, status, after == null ? -1 : after.offset(),
                before == null ? Long.MAX_VALUE : before.offset(), upTo, oldestFirst, limit + 1);
        String next = null;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            next = items.get(limit - 1).cursor();
        }
        return new Page(items, next, upTo.toString());
    }

    private ResponseEntity<ReadResult> markRead(String userId, String eventId) {
        List<FieldError> errors = new ArrayList<>();
        NotificationFields.eventId(StringNode.valueOf(eventId), "eventId", errors);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
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
        return ResponseEntity.status(status)
                .body(new ReadResult(change.eventId(), change.cursor().toString(), change.applied(), inbox.unreadCount(userId)));
    }

    private static String validUser(String userId) {
        List<FieldError> errors = new ArrayList<>();
        NotificationFields.userId(StringNode.valueOf(userId), "userId", errors);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        return userId;
    }

    private static InboxRepository.Status status(String value) {
        if (value == null) {
            return InboxRepository.Status.ALL;
        }
        try {
            return InboxRepository.Status.valueOf(value.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw ApiException.badRequest("status", "must be one of unread, read, all");
        }
    }

    record Page(List<InboxItem> items, String next, String cursor) {
    }

    record ReadResult(String eventId, String cursor, boolean applied, int unread) {
    }
}
