package dev.herald.gateway.session;

import java.util.concurrent.ConcurrentHashMap;

/** Counts the sessions of each user on this gateway, up to a limit. */
final class UserSessionLimits {

    private final int max;
    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

    UserSessionLimits(int max) {
        this.max = max;
    }

    /** Takes a slot for the user, or returns false when the user already holds {@code max}. */
    boolean acquire(String userId) {
        boolean[] granted = { false };
        counts.compute(userId, (user, count) -> {
            int current = count == null ? 0 : count;
            if (current >= max) {
                return count;
            }
            granted[0] = true;
            return current + 1;
        });
        return granted[0];
    }

    void release(String userId) {
        counts.computeIfPresent(userId, (user, count) -> count <= 1 ? null : count - 1);
    }
}
