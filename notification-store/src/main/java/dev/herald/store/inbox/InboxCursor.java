package dev.herald.store.inbox;

import java.util.Map;
import java.util.TreeMap;

import dev.herald.schema.Channels;
import dev.herald.schema.Cursor;

/**
 * Where an inbox page left off in each of its streams: the user's stream (a {@link Cursor} of the
 * user's partition) and, for each inbox channel that has items left, an offset of that channel's
 * partition. Written {@code <user cursor>~<channel>~<offset>…} (e.g.
 * {@code 7-10452@Xk3fQ9aB~system~88}; {@code ~} is in neither grammar). A cursor naming no channel
 * is a plain user cursor, as pages of an inbox without channel items always had: it pages the
 * user's own notifications only, since a channel absent from a cursor has nothing left on that side.
 * Pure logic.
 */
record InboxCursor(Cursor user, Map<String, Long> channels) {

    private static final String SEPARATOR = "~";

    InboxCursor {
        channels = new TreeMap<>(channels);
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code text} */
    static InboxCursor parse(String text) {
        String[] parts = text.split(SEPARATOR, -1);
        Cursor user;
        try {
            user = Cursor.parse(parts[0]);
        }
        catch (Cursor.MalformedCursorException ex) {
            throw new IllegalArgumentException(ex.getMessage());
        }
        if (parts.length % 2 != 1) {
            throw new IllegalArgumentException("must be a cursor that an inbox page gave");
        }
        Map<String, Long> channels = new TreeMap<>();
        for (int i = 1; i < parts.length; i += 2) {
            String channel = parts[i];
            if (Channels.problemWith(channel).isPresent() || channels.containsKey(channel)) {
                throw new IllegalArgumentException("must be a cursor that an inbox page gave (bad channel part)");
            }
            long offset;
            try {
                offset = Long.parseLong(parts[i + 1]);
            }
            catch (NumberFormatException ex) {
                offset = -2;
            }
            if (offset < -1) {
                throw new IllegalArgumentException("must be a cursor that an inbox page gave (bad offset of " + channel + ")");
            }
            channels.put(channel, offset);
        }
        return new InboxCursor(user, channels);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(user.toString());
        channels.forEach((channel, offset) -> text.append(SEPARATOR).append(channel).append(SEPARATOR).append(offset));
        return text.toString();
    }
}
