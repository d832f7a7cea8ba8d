package dev.herald.schema.frames;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import tools.jackson.databind.JsonNode;

import dev.herald.schema.ChannelMessage;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.EventKind;
import dev.herald.schema.NotificationAction;

/** What the push gateway sends; each is one JSON text frame whose {@code type} names the record. */
public sealed interface ServerFrame {

    /**
     * The session is open.
     *
     * @param partition the partition of the user
     * @param cursor every event of the user up to this cursor has been delivered, or follows in the
     *        replay that comes right after this frame; later ones arrive live
     * @param replay how many frames the replay right after this one holds: a client adopts
     *        {@code cursor} only once it has them all, so a socket lost mid-replay skips nothing
     */
    record Welcome(int partition, Cursor cursor, int replay) implements ServerFrame {

        public Welcome {
            if (replay < 0) {
                throw new IllegalArgumentException("replay must not be negative");
            }
        }
    }

    /**
     * A new notification. On the wire the event fields sit under {@code event}, because the frame's
     * own {@code type} would clash with the notification's {@code type}.
     */
    record Notification(Cursor cursor, Event event) implements ServerFrame {

        public Notification {
            Objects.requireNonNull(cursor, "cursor");
            Objects.requireNonNull(event, "event");
        }

        public static Notification of(Cursor cursor, Envelope envelope) {
            return new Notification(cursor, new Event(envelope.eventId(), envelope.userId(), envelope.type(),
                    envelope.title(), envelope.body(), envelope.data(), envelope.occurredAt(), envelope.acceptedAt(),
                    envelope.source(), envelope.actions(), envelope.expiresAt(), envelope.tags()));
        }
    }

    /**
     * The fields of a notification event, as the inbox API shows them (a channel message's: no {@code userId}).
     *
     * @param actions its buttons, empty when none
     * @param expiresAt when it leaves the inbox; null when never
     * @param tags the tags it was sent with, empty when none (and for channel messages)
     */
    record Event(String eventId, String userId, String type, String title, String body, JsonNode data,
            Instant occurredAt, Instant acceptedAt, String source, List<NotificationAction> actions, Instant expiresAt,
            List<String> tags) {

        public Event {
            actions = actions == null ? List.of() : List.copyOf(actions);
            tags = tags == null ? List.of() : List.copyOf(tags);
        }

        /** An event without tags. */
        public Event(String eventId, String userId, String type, String title, String body, JsonNode data,
                Instant occurredAt, Instant acceptedAt, String source, List<NotificationAction> actions, Instant expiresAt) {
            this(eventId, userId, type, title, body, data, occurredAt, acceptedAt, source, actions, expiresAt, List.of());
        }

        /** An event without actions, expiry or tags. */
        public Event(String eventId, String userId, String type, String title, String body, JsonNode data,
                Instant occurredAt, Instant acceptedAt, String source) {
            this(eventId, userId, type, title, body, data, occurredAt, acceptedAt, source, List.of(), null);
        }
    }

    /**
     * Notifications became read: those in {@code eventIds}, or every earlier one when {@code all}.
     *
     * @param cursor the position of the read-state event itself
     * @param eventId the id of the read-state event
     * @param channel the inbox channel whose messages {@code eventIds} name; null for the user's own
     */
    record Read(Cursor cursor, String eventId, List<String> eventIds, boolean all, String channel) implements ServerFrame {

        public Read {
            eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
        }

        /** A read of the user's own notifications. */
        public Read(Cursor cursor, String eventId, List<String> eventIds, boolean all) {
            this(cursor, eventId, eventIds, all, null);
        }
    }

    /**
     * Items of the user's inbox changed state (issue 17): seen, archived or taken out of the archive.
     * Like {@link Read}, it carries the position of the state event itself, so a client applies it in
     * order with the notifications around it.
     *
     * @param cursor the position of the state event
     * @param eventId the id of the state event
     * @param state {@value #SEEN}, {@value #ARCHIVED} or {@value #UNARCHIVED}
     * @param eventIds the items it is about; empty when {@code all}
     * @param all every item before the event (seen-all, archive-all)
     * @param scope for an archive-all, {@code read} (only the read items) or {@code all}; null otherwise
     * @param channel the inbox channel whose messages {@code eventIds} name; null for the user's own
     */
    record State(Cursor cursor, String eventId, String state, List<String> eventIds, boolean all, String scope,
            String channel) implements ServerFrame {

        public static final String SEEN = "seen";
        public static final String ARCHIVED = "archived";
        public static final String UNARCHIVED = "unarchived";

        public State {
            Objects.requireNonNull(state, "state");
            eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
        }

        /** The frame of a seen, seen_all, archive, unarchive or archive_all event. */
        public static State of(Cursor cursor, Envelope event) {
            String state = switch (event.kind()) {
                case SEEN, SEEN_ALL -> SEEN;
                case ARCHIVE, ARCHIVE_ALL -> ARCHIVED;
                case UNARCHIVE -> UNARCHIVED;
                default -> throw new IllegalArgumentException("not an item-state event: " + event.kind().wireName());
            };
            boolean all = event.kind() == EventKind.SEEN_ALL || event.kind() == EventKind.ARCHIVE_ALL;
            return new State(cursor, event.eventId(), state, event.refs(), all,
                    event.scope() == null ? null : event.scope().wireName(), event.channel());
        }
    }

    /**
     * The gateway cannot replay everything after {@code since}: the events in {@code (from, to]}
     * must be read from the inbox ({@code after=from}, until the inbox's cursor reaches {@code to}),
     * while the session stays open and goes on with a {@code welcome} whose cursor is {@code to}
     * or later, its replay, and live events. So push never waits for the inbox to catch up.
     *
     * @param since the cursor the client sent, or null
     * @param reason why, for logs
     * @param from the last position the client is known to have; null when its cursor cannot be
     *        trusted at all (ahead of the log, another partition or topic epoch): then the client
     *        reloads its inbox and fills up to {@code to} from what that gave
     * @param to the position after which the gateway delivers everything on this session
     */
    record Resync(String since, int partition, String reason, Cursor from, Cursor to) implements ServerFrame {

        public Resync {
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * A subscription is open: like {@link Welcome}, for one channel.
     *
     * @param cursor every message of the channel up to this cursor has been delivered, or follows in
     *        the replay right after this frame; later ones arrive live
     * @param replay how many {@link Message} frames of this channel the replay holds
     */
    record Subscribed(String channel, Cursor cursor, int replay) implements ServerFrame {
    }

    /** A message to a channel the session subscribed to; its event has no {@code userId}. */
    record Message(String channel, Cursor cursor, Event event) implements ServerFrame {

        public Message {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(cursor, "cursor");
            Objects.requireNonNull(event, "event");
        }

        public static Message of(Cursor cursor, ChannelMessage message) {
            return new Message(message.channel(), cursor, new Event(message.eventId(), null, message.type(),
                    message.title(), message.body(), message.data(), message.occurredAt(), message.acceptedAt(),
                    message.source(), message.actions(), message.expiresAt()));
        }
    }

    /**
     * Like {@link Resync}, for one channel's subscription: read {@code (from, to]} of the channel
     * from the store (or, with {@code from} null, its newest page), while the subscription goes on
     * with a {@link Subscribed} and live messages.
     */
    record ChannelResync(String channel, String since, String reason, Cursor from, Cursor to) implements ServerFrame {

        public ChannelResync {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(to, "to");
        }
    }

    /** A subscription ended by the gateway, e.g. because the token no longer grants the channel. */
    record Unsubscribed(String channel, String reason) implements ServerFrame {
    }

    /** Keeps idle connections alive; a client may answer with {@link ClientFrame.Pong}. */
    record Ping() implements ServerFrame {
    }

    /** The answer to {@link ClientFrame.Ping}. */
    record Pong() implements ServerFrame {
    }

    /**
     * The gateway did not understand or refused a frame but keeps the session open.
     *
     * @param channel the channel a refused {@code subscribe} named, or null
     */
    record Error(String code, String message, String channel) implements ServerFrame {

        public Error(String code, String message) {
            this(code, message, null);
        }
    }
}
