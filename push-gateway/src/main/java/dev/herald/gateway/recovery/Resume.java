package dev.herald.gateway.recovery;

import java.util.List;

/** What a session that asks to resume gets: the events it missed, or a request to resync. */
public sealed interface Resume {

    /**
     * Resumable: {@code missed} are the user's events after the cursor, oldest first; later events
     * of the user with an offset above {@code deliverAfter} arrive live.
     */
    record Replay(List<HistoryEntry> missed, long deliverAfter) implements Resume {

        public Replay {
            missed = List.copyOf(missed);
        }
    }

    /** Not resumable from memory: the client must fill the gap from the inbox. */
    record Resync(String reason) implements Resume {
    }
}
