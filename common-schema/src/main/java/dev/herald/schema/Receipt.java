package dev.herald.schema;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One record on {@code herald.receipts}: a notification reached a user ({@link Kind#DELIVERED}) or
 * was displayed to them ({@link Kind#SEEN}). Keyed by {@link #userId()}, on the same partition as the
 * user's events. A receipt is a fact reported by a gateway, not a change to the inbox: the inbox's
 * own read state stays on {@code herald.user-events}.
 *
 * @param kind what happened
 * @param userId the recipient, and the Kafka key
 * @param eventId the notification's eventId (a {@code seen} receipt may name an id the user never
 *        had: consumers ignore what they do not know)
 * @param at when the gateway wrote the frame, or received the {@code seen} frame
 * @param gateway the public URL of the gateway that reports it
 * @param sessions for {@code delivered}, how many of the user's sessions on that gateway got the
 *        frame; 1 for {@code seen}
 * @param schemaVersion {@value #SCHEMA_VERSION} for this code
 */
public record Receipt(Kind kind, String userId, String eventId, Instant at, String gateway, int sessions,
        int schemaVersion) {

    public static final int SCHEMA_VERSION = 1;

    public enum Kind {

        /** The notification frame was written to at least one session of the user. */
        DELIVERED("delivered"),
        /** The user's page says it displayed the notification (the {@code seen} client frame). */
        SEEN("seen");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Optional<Kind> fromWireName(String name) {
            return Arrays.stream(values()).filter(kind -> kind.wireName.equals(name)).findFirst();
        }
    }

    public Receipt {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(gateway, "gateway");
    }

    public static Receipt delivered(String userId, String eventId, Instant at, String gateway, int sessions) {
        return new Receipt(Kind.DELIVERED, userId, eventId, at, gateway, sessions, SCHEMA_VERSION);
    }

    public static Receipt seen(String userId, String eventId, Instant at, String gateway) {
        return new Receipt(Kind.SEEN, userId, eventId, at, gateway, 1, SCHEMA_VERSION);
    }
}
