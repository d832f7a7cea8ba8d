package dev.herald.schema.frames;

/** WebSocket close codes of the push gateway (see the v1 contract). */
public final class CloseCodes {

    /** The normal end of a session (a {@code resync} frame no longer ends one: the session goes on live). */
    public static final int NORMAL = 1000;

    /** Shutdown or rebalance drain: look up the route again and resume by cursor. */
    public static final int GOING_AWAY = 1001;

    /** The client sent a binary frame. */
    public static final int UNSUPPORTED_DATA = 1003;

    /** The client sent a frame that is not valid JSON or not a valid frame. */
    public static final int INVALID_PAYLOAD = 1007;

    /** The client sent a frame larger than the gateway accepts. */
    public static final int MESSAGE_TOO_BIG = 1009;

    /** The gateway cannot serve the user right now (e.g. no owner during a rebalance): retry later. */
    public static final int TRY_AGAIN_LATER = 1013;

    /** Another gateway owns the user's partition; the close reason is that gateway's URL. */
    public static final int MOVED = 4001;

    /** A missing, malformed, forged or expired token, or no auth frame in time. */
    public static final int UNAUTHORIZED = 4003;

    /** The session's outbound queue overflowed: reconnect and resume by cursor. */
    public static final int TOO_SLOW = 4008;

    /** The user already holds as many sessions as the gateway allows. */
    public static final int TOO_MANY_CONNECTIONS = 4029;

    private CloseCodes() {
    }
}
