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
    /** The notifications named in {@code refs} have been seen (shown in the opened feed). */
    SEEN("seen"),
    /** Every notification of the user before this event has been seen (the feed was opened). */
    SEEN_ALL("seen_all"),
    /** The notifications named in {@code refs} are archived: hidden from the default list and counts. */
    ARCHIVE("archive"),
    /** The notifications named in {@code refs} are no longer archived. */
    UNARCHIVE("unarchive"),
    /**
     * Every notification of the user before this event is archived: only the read ones, or all, as
     * the event's {@link ArchiveScope} says.
     */
    ARCHIVE_ALL("archive_all"),
    /** The user's whole preference set ({@code preferences}) from now on, replacing the previous one. */
    PREFERENCES("preferences");

    private final String wireName;

    EventKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the event names its notifications in {@code refs} (and, for an inbox channel's, {@code channel}). */
    public boolean hasRefs() {
        return this == READ || this == SEEN || this == ARCHIVE || this == UNARCHIVE;
    }

    public static Optional<EventKind> fromWireName(String name) {
        return Arrays.stream(values()).filter(kind -> kind.wireName.equals(name)).findFirst();
    }
}
