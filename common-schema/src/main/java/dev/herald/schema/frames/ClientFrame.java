package dev.herald.schema.frames;

/** What a client sends to the push gateway. The first frame of a session must be {@link Auth}. */
public sealed interface ClientFrame {

    /**
     * Opens the session for the token's user.
     *
     * @param token the user's JWT
     * @param since the cursor of the last event the client has, or null for "from now on"
     */
    record Auth(String token, String since) implements ClientFrame {
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
