package dev.herald.store.inbox;

import dev.herald.schema.Cursor;
import dev.herald.schema.Preferences;
import dev.herald.store.ingest.AppliedPositions;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A user's unread count (own notifications, kept in {@code unread_counts}, plus the inbox channels'
 * unread messages, counted from their read state) together with the position it is exact at: both are read from one
 * snapshot, so a client can tell which later {@code read} and {@code notification} frames the
 * count already includes.
 */
@Component
class UnreadCounts {

    private final InboxRepository inbox;
    private final ChannelInbox channels;
    private final AppliedPositions positions;
    private final PreferencesRepository preferences;

    UnreadCounts(InboxRepository inbox, ChannelInbox channels, AppliedPositions positions, PreferencesRepository preferences) {
        this.inbox = inbox;
        this.channels = channels;
        this.positions = positions;
        this.preferences = preferences;
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    UnreadCount of(String userId, int partition) {
        Cursor position = positions.current(partition);
        Counts counts = counts(userId);
        return new UnreadCount(counts.unread(), counts.unseen(), position.toString());
    }

    /**
     * The user's unread and unseen counts, from one snapshot; neither includes archived items, own
     * notifications muted on arrival, or inbox-channel messages of types the user mutes.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    Counts counts(String userId) {
        Preferences set = preferences.current(userId);
        return new Counts(inbox.unreadCount(userId) + channels.unread(userId, set),
                inbox.unseenCount(userId) + channels.unseen(userId, set));
    }

    /**
     * The user's whole unread count: own notifications (those muted on arrival never counted) and
     * inbox-channel messages of types the user does not mute.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    int unread(String userId) {
        return inbox.unreadCount(userId) + channels.unread(userId, preferences.current(userId));
    }

    /** The body of {@code GET …/notifications/unread-count}. */
    record UnreadCount(int unread, int unseen, String cursor) {
    }

    record Counts(int unread, int unseen) {
    }
}
