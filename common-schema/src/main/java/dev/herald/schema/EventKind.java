package dev.herald.schema;

import java.util.Arrays;
import java.util.Optional;

/** What an event on {@code herald.user-events} does to its user's inbox. */
public enum EventKind {

    /** A new notification for the user. */
    NOTIFICATION("notification"),
    /** The notifications named in {@code refs} are now read. */
    READ("read"),
    /** Every notification of the user before this event is now read. */
    READ_ALL("read_all"),
    /** The user's whole preference set ({@code preferences}) from now on, replacing the previous one. */
    PREFERENCES("preferences");

    private final String wireName;

    EventKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventKind> fromWireName(String name) {
        return Arrays.stream(values()).filter(kind -> kind.wireName.equals(name)).findFirst();
    }
}
