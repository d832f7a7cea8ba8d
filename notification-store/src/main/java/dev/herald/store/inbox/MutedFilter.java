package dev.herald.store.inbox;

import java.util.Locale;

import dev.herald.support.ApiException;

/**
 * The {@code muted} filter of inbox pages: notifications that arrived while their type was muted
 * (V9's {@code notifications.muted}) are left out unless asked for, as they were not counted.
 */
enum MutedFilter {
    EXCLUDE(" AND muted = 0"), INCLUDE(""), ONLY(" AND muted = 1");

    private final String condition;

    MutedFilter(String condition) {
        this.condition = condition;
    }

    String condition() {
        return condition;
    }

    /** Whether inbox-channel messages belong on such a page (they are never muted on arrival: see ChannelInbox). */
    boolean showsUnmuted() {
        return this != ONLY;
    }

    static MutedFilter of(String value) {
        if (value == null) {
            return EXCLUDE;
        }
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw ApiException.badRequest("muted", "must be one of exclude, include, only");
        }
    }
}
