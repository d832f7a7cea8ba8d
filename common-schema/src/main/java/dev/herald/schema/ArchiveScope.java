package dev.herald.schema;

import java.util.Arrays;
import java.util.Optional;

/** Which notifications an {@link EventKind#ARCHIVE_ALL} event archives. */
public enum ArchiveScope {

    /** Only those already read ("archive all read"). */
    READ("read"),
    /** All of them, read or not. */
    ALL("all");

    private final String wireName;

    ArchiveScope(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ArchiveScope> fromWireName(String name) {
        return Arrays.stream(values()).filter(scope -> scope.wireName.equals(name)).findFirst();
    }
}
