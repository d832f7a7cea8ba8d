package dev.herald.store.inbox;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import dev.herald.schema.FieldError;
import dev.herald.schema.NotificationFields;
import dev.herald.schema.Preferences;
import dev.herald.store.ingest.AppliedPositions;
import dev.herald.support.ApiException;
import dev.herald.support.Authentication;
import dev.herald.support.JsonBodies;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.node.StringNode;

/**
 * A user's notification preferences (issue 17): {@code /v1/me/preferences} for the user a token
 * names, {@code /v1/users/{userId}/preferences} for services. A PUT replaces the whole set; like a
 * read it is an event on the user's partition, answered once the store applied it (200) or, if that
 * takes longer than {@code herald.store.read-timeout}, once it is queued (202). A set applies to the
 * notifications that come after it in the user's stream.
 */
@RestController
class PreferencesController {

    /** 50 rules of the longest patterns fit in 10 KiB; more than this is not a preference set. */
    static final DataSize MAX_BODY = DataSize.ofKilobytes(64);

    private final PreferencesRepository preferences;
    private final ReadStates changes;
    private final AppliedPositions positions;
    private final UserPartitions partitions;

    PreferencesController(PreferencesRepository preferences, ReadStates changes, AppliedPositions positions,
            UserPartitions partitions) {
        this.preferences = preferences;
        this.changes = changes;
        this.positions = positions;
        this.partitions = partitions;
    }

    @GetMapping("/v1/me/preferences")
    Current mine(@RequestAttribute(Authentication.USER) String userId) {
        return current(userId);
    }

    @GetMapping("/v1/users/{userId}/preferences")
    Current users(@PathVariable String userId) {
        return current(validUser(userId));
    }

    @PutMapping("/v1/me/preferences")
    ResponseEntity<Changed> setMine(@RequestAttribute(Authentication.USER) String userId, HttpServletRequest request)
            throws IOException {
        return set(userId, request);
    }

    @PutMapping("/v1/users/{userId}/preferences")
    ResponseEntity<Changed> setUsers(@PathVariable String userId, HttpServletRequest request) throws IOException {
        return set(validUser(userId), request);
    }

    private Current current(String userId) {
        return preferences.of(userId)
                .map(stored -> new Current(stored.preferences().rules(),
                        positions.cursor(partitions.of(userId), stored.offset()).toString(),
                        Instant.ofEpochMilli(stored.updatedAtMillis())))
                .orElseGet(() -> new Current(List.of(), null, null));
    }

    private ResponseEntity<Changed> set(String userId, HttpServletRequest request) throws IOException {
        List<FieldError> errors = new ArrayList<>();
        Preferences set = Preferences.fromJson(JsonBodies.read(request, MAX_BODY), "", errors);
        if (set == null) {
            throw ApiException.badRequest(errors);
        }
        ReadStates.Change change = changes.setPreferences(userId, set);
        HttpStatus status = change.applied() ? HttpStatus.OK : HttpStatus.ACCEPTED;
        return ResponseEntity.status(status)
                .body(new Changed(change.eventId(), change.cursor().toString(), change.applied(), set.rules()));
    }

    private static String validUser(String userId) {
        List<FieldError> errors = new ArrayList<>();
        NotificationFields.userId(StringNode.valueOf(userId), "userId", errors);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        return userId;
    }

    /**
     * The body of GET: the rules, and the cursor and time of the event that set them (null when the
     * user never set any).
     */
    record Current(List<Preferences.Rule> rules, String cursor, Instant updatedAt) {
    }

    /** The body of PUT: the event that carries the set, where it is, and whether the inbox reflects it yet. */
    record Changed(String eventId, String cursor, boolean applied, List<Preferences.Rule> rules) {
    }
}
