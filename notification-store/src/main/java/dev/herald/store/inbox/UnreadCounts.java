package dev.herald.store.inbox;

import dev.herald.schema.Cursor;
import dev.herald.store.ingest.AppliedPositions;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A user's unread count together with the position it is exact at: both are read from one
 * snapshot, so a client can tell which later {@code read} and {@code notification} frames the
 * count already includes.
 */
@Component
class UnreadCounts {

    private final InboxRepository inbox;
    private final AppliedPositions positions;

    UnreadCounts(InboxRepository inbox, AppliedPositions positions) {
        this.inbox = inbox;
        this.positions = positions;
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    UnreadCount of(String userId, int partition) {
        Cursor position = positions.current(partition);
        return new UnreadCount(inbox.unreadCount(userId), position.toString());
    }

    /** The body of {@code GET …/notifications/unread-count}. */
    record UnreadCount(int unread, String cursor) {
    }
}
