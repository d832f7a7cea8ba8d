package dev.herald.store.inbox;

import java.util.ArrayList;
import java.util.List;

import dev.herald.schema.ArchiveScope;
import dev.herald.schema.Channels;
import dev.herald.schema.FieldError;
import dev.herald.schema.NotificationFields;
import dev.herald.support.ApiException;
import dev.herald.support.Authentication;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.node.StringNode;

/**
 * Seen and archived (issue 17), beside read ({@link InboxController}) and answered the same way: each
 * change is an event on the user's partition, and the answer comes once the store applied it (200),
 * or once it is durably queued when applying takes longer than {@code herald.store.read-timeout}
 * (202), with the user's {@code unread} and {@code unseen} counts. {@code /v1/me/...} for the user a
 * token names, {@code /v1/users/{userId}/...} for services with an API key.
 */
@RestController
class ItemStatesController {

    private final InboxRepository inbox;
    private final ChannelInbox channels;
    private final ReadStates states;
    private final UnreadCounts counts;

    ItemStatesController(InboxRepository inbox, ChannelInbox channels, ReadStates states, UnreadCounts counts) {
        this.inbox = inbox;
        this.channels = channels;
        this.states = states;
        this.counts = counts;
    }

    /** @param channel for a message of an inbox channel, its channel (an item's {@code channel}) */
    @PostMapping("/v1/me/notifications/{eventId}/seen")
    ResponseEntity<InboxController.ReadResult> markMineSeen(@RequestAttribute(Authentication.USER) String userId,
            @PathVariable String eventId, @RequestParam(required = false) String channel) {
        return change(userId, eventId, channel, states::markSeen);
    }

    @PostMapping("/v1/users/{userId}/notifications/{eventId}/seen")
    ResponseEntity<InboxController.ReadResult> markUsersSeen(@PathVariable String userId, @PathVariable String eventId,
            @RequestParam(required = false) String channel) {
        return change(InboxController.validUser(userId), eventId, channel, states::markSeen);
    }

    @PostMapping("/v1/me/notifications/{eventId}/archive")
    ResponseEntity<InboxController.ReadResult> archiveMine(@RequestAttribute(Authentication.USER) String userId,
            @PathVariable String eventId, @RequestParam(required = false) String channel) {
        return change(userId, eventId, channel, states::archive);
    }

    @PostMapping("/v1/users/{userId}/notifications/{eventId}/archive")
    ResponseEntity<InboxController.ReadResult> archiveUsers(@PathVariable String userId, @PathVariable String eventId,
            @RequestParam(required = false) String channel) {
        return change(InboxController.validUser(userId), eventId, channel, states::archive);
    }

    @PostMapping("/v1/me/notifications/{eventId}/unarchive")
    ResponseEntity<InboxController.ReadResult> unarchiveMine(@RequestAttribute(Authentication.USER) String userId,
            @PathVariable String eventId, @RequestParam(required = false) String channel) {
        return change(userId, eventId, channel, states::unarchive);
    }

    @PostMapping("/v1/users/{userId}/notifications/{eventId}/unarchive")
    ResponseEntity<InboxController.ReadResult> unarchiveUsers(@PathVariable String userId, @PathVariable String eventId,
            @RequestParam(required = false) String channel) {
        return change(InboxController.validUser(userId), eventId, channel, states::unarchive);
    }

    @PostMapping("/v1/me/notifications/seen-all")
    ResponseEntity<InboxController.ReadResult> markAllMineSeen(@RequestAttribute(Authentication.USER) String userId) {
        return result(userId, states.markAllSeen(userId));
    }

    @PostMapping("/v1/users/{userId}/notifications/seen-all")
    ResponseEntity<InboxController.ReadResult> markAllUsersSeen(@PathVariable String userId) {
        String user = InboxController.validUser(userId);
        return result(user, states.markAllSeen(user));
    }

    /** @param status {@code read} (the default: only what is read) or {@code all} */
    @PostMapping("/v1/me/notifications/archive-all")
    ResponseEntity<InboxController.ReadResult> archiveAllMine(@RequestAttribute(Authentication.USER) String userId,
            @RequestParam(required = false) String status) {
        ArchiveScope scope = scope(status);
        return result(userId, states.archiveAll(userId, scope));
    }

    @PostMapping("/v1/users/{userId}/notifications/archive-all")
    ResponseEntity<InboxController.ReadResult> archiveAllUsers(@PathVariable String userId,
            @RequestParam(required = false) String status) {
        String user = InboxController.validUser(userId);
        ArchiveScope scope = scope(status);
        return result(user, states.archiveAll(user, scope));
    }

    private interface StateChange {
        ReadStates.Change publish(String userId, String channel, String eventId);
    }

    /**
     * Validates as mark-read does: a bad eventId or channel is a 400 naming it; an item the inbox
     * does not have is a 404 (also another user's: ids reveal nothing).
     */
    private ResponseEntity<InboxController.ReadResult> change(String userId, String eventId, String channel,
            StateChange change) {
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
        if (channel != null && !channels.holds(channel, eventId)) {
            throw ApiException.notFound("no message " + eventId + " in inbox channel " + channel);
        }
        if (channel == null && !inbox.holds(userId, eventId)) {
            throw ApiException.notFound("no notification " + eventId + " in this inbox");
        }
        return result(userId, change.publish(userId, channel, eventId));
    }

    private ResponseEntity<InboxController.ReadResult> result(String userId, ReadStates.Change change) {
        // 200 once the inbox reflects the change; 202 if it is durably queued but not applied in time.
        HttpStatus status = change.applied() ? HttpStatus.OK : HttpStatus.ACCEPTED;
        UnreadCounts.Counts now = counts.counts(userId);
        return ResponseEntity.status(status).body(new InboxController.ReadResult(change.eventId(),
                change.cursor().toString(), change.applied(), now.unread(), now.unseen()));
    }

    private static ArchiveScope scope(String status) {
        if (status == null) {
            return ArchiveScope.READ;
        }
        return ArchiveScope.fromWireName(status)
                .orElseThrow(() -> ApiException.badRequest("status", "must be read (the default) or all"));
    }
}
