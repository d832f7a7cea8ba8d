package dev.herald.gateway.ownership;

/**
 * Told when a user's notification was handed to at least one of the user's sessions, once per
 * fan-out (not per session), live or in a resume's replay. Called with a partition's lock held, on
 * the consumer thread or a session's: it must only queue and return.
 */
public interface DeliveryReceipts {

    DeliveryReceipts NONE = (userId, eventId, sessions) -> {
    };

    void delivered(String userId, String eventId, int sessions);
}
