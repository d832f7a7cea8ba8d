package dev.herald.schema.frames;

import java.util.List;

/** What a client sends to the push gateway. The first frame of a session must be {@link Auth}. */
public sealed interface ClientFrame {

    /**
     * Opens the session for the token's user.
     *
     * @param token the user's JWT
     * @param since the cursor of the last event the client has, or null for "from now on"
     * @param sdk which client this is, {@code <name>/<version>} (e.g. {@code herald-browser/1.0.0}),
     *        at most {@link #MAX_SDK_LENGTH} characters; null when the client does not say
     */
    record Auth(String token, String since, String sdk) implements ClientFrame {

        /** The longest {@code sdk} a gateway accepts; a longer one makes the frame malformed. */
        public static final int MAX_SDK_LENGTH = 64;

        /** A client that does not name itself. */
        public Auth(String token, String since) {
            this(token, since, null);
        }
    }

    /**
     * Replaces the session's token before it expires: the gateway closes a session with 4003 when
     * its token expires, unless a fresh token for the same user arrived first.
     *
     * @param token a newer JWT of the session's user
     */
    record Refresh(String token) implements ClientFrame {
    }

    /**
     * Subscribes the session to a channel its token grants.
     *
     * @param channel the channel name
     * @param since the cursor of the channel's last message the client has, or null for "from now on"
     */
    record Subscribe(String channel, String since) implements ClientFrame {
    }

    /** Ends the session's subscription to a channel. */
    record Unsubscribe(String channel) implements ClientFrame {
    }

    /**
     * The page displayed these notifications to the user: the gateway reports each as a {@code seen}
     * receipt on {@code herald.receipts}. Not a change to the inbox (read state is a REST call).
     * Ids the user never had are harmless.
     *
     * @param eventIds 1 to {@link #MAX_EVENT_IDS} eventIds
     */
    record Seen(List<String> eventIds) implements ClientFrame {

        /** The most ids one {@code seen} frame may name; a longer list makes the frame malformed. */
        public static final int MAX_EVENT_IDS = 100;

        public Seen {
            eventIds = List.copyOf(eventIds);
        }
    }

    /** Asks for a {@link ServerFrame.Pong}, e.g. to measure the round trip. */
    record Ping() implements ClientFrame {
    }

    /** The answer to a {@link ServerFrame.Ping}. */
    record Pong() implements ClientFrame {
    }

    /** A frame with a {@code type} this version does not know; the gateway answers with an error frame. */
    record Unknown(String type) implements ClientFrame {
    }
}
