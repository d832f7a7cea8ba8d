package dev.herald.store.paging;

import dev.herald.schema.Cursor;
import dev.herald.store.system.StoreProperties;
import dev.herald.support.ApiException;

/**
 * The paging parameters the inbox and the channel history share: {@code limit}, and a
 * {@code before} or {@code after} cursor of the partition the page is read from. Each refusal is a
 * 400 naming the parameter.
 */
public final class PageParameters {

    private PageParameters() {
    }

    /** The page size: {@code value}, from 1 to the configured maximum, or the default when absent. */
    public static int limit(String value, StoreProperties properties) {
        if (value == null) {
            return properties.defaultPageSize();
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= properties.maxPageSize()) {
                return limit;
            }
        }
        catch (NumberFormatException ex) {
            // fall through to the refusal
        }
        throw ApiException.badRequest("limit", "must be a whole number from 1 to " + properties.maxPageSize());
    }

    /** A page goes one way from one cursor: at most one of {@code before} and {@code after}. */
    public static void requireAtMostOne(String before, String after) {
        if (before != null && after != null) {
            throw ApiException.badRequest("after", "give either before or after, not both");
        }
    }

    /**
     * The cursor in parameter {@code param}, or null when absent; it must be of {@code partition},
     * the one {@code owner}'s items are in (a cursor of another partition says nothing about them).
     *
     * @param owner whose stream the page is of, as the refusal names it ("user", "channel")
     */
    public static Cursor cursor(String param, String value, int partition, String owner) {
        if (value == null) {
            return null;
        }
        Cursor cursor;
        try {
            cursor = Cursor.parse(value);
        }
        catch (Cursor.MalformedCursorException ex) {
            throw ApiException.badRequest(param, ex.getMessage());
        }
        if (cursor.partition() != partition) {
            throw ApiException.badRequest(param, "this cursor is not from this " + owner + "'s stream (partition "
                    + cursor.partition() + " instead of " + partition + ")");
        }
        return cursor;
    }
}
