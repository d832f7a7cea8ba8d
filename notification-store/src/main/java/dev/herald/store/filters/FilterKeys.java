package dev.herald.store.filters;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.herald.schema.NotificationFields;

/**
 * The filter keys of the inbox's tabs and counts (issue 17 item 2): what a notification is counted
 * and listed under, and what a client may ask for. A key is the filter as the API spells it:
 * <ul>
 * <li>{@code type:order.shipped} — exactly that type;</li>
 * <li>{@code type:order.*} — every type that starts with {@code order.}: prefixes end at a '.' only,
 * so {@code order.*} matches {@code order.shipped} and {@code order.shipped.late} but neither
 * {@code order} nor {@code orders.new} nor {@code order_x};</li>
 * <li>{@code tag:vip} — every notification sent with that tag.</li>
 * </ul>
 * {@code all} (every notification) is no key: it is the user's whole count, kept in unread_counts.
 *
 * <p>A notification has rows ({@code notification_keys}) and counters ({@code inbox_counts}) under
 * its {@link #stored} keys only: its exact type and its tags. A prefix key is read as the range of
 * the exact type keys it covers ({@link #rangeStart}): {@code type:order.*} is every stored key from
 * {@code type:order.} up to {@code type:order/} ('/' follows '.'), so its count is the sum of a few
 * counters and a notification costs one type row and one type counter however deep its type is.
 */
public final class FilterKeys {

    public static final String ALL = "all";
    private static final String TYPE = "type:";
    private static final String TAG = "tag:";
    private static final String ANY = ".*";

    private FilterKeys() {
    }

    /** Every key a notification of {@code type} with {@code tags} matches: its type, each '.'-prefix, each tag. */
    public static Set<String> matching(String type, List<String> tags) {
        Set<String> keys = new LinkedHashSet<>();
        keys.add(TYPE + type);
        for (int dot = type.indexOf('.'); dot > 0; dot = type.indexOf('.', dot + 1)) {
            keys.add(TYPE + type.substring(0, dot) + ANY);
        }
        for (String tag : tags) {
            keys.add(TAG + tag);
        }
        return keys;
    }

    /** The keys a notification has rows and counters under: its exact type and each tag (prefixes are ranges of these). */
    public static Set<String> stored(String type, List<String> tags) {
        Set<String> keys = new LinkedHashSet<>();
        keys.add(TYPE + type);
        for (String tag : tags) {
            keys.add(TAG + tag);
        }
        return keys;
    }

    /** Whether {@code key} is a type prefix ({@code type:order.*}), read as a range of stored keys. */
    public static boolean isPrefix(String key) {
        return key.startsWith(TYPE) && key.endsWith(ANY);
    }

    /**
     * The stored keys a prefix key covers are those from this one (inclusive: {@code type:order.})
     * up to {@link #rangeEnd} (exclusive), compared byte for byte as the key columns are (V10).
     */
    public static String rangeStart(String prefixKey) {
        return prefixKey.substring(0, prefixKey.length() - 1);
    }

    /** The first stored key after those a prefix key covers: {@code type:order/} for {@code type:order.*}. */
    public static String rangeEnd(String prefixKey) {
        return prefixKey.substring(0, prefixKey.length() - 2) + "/";
    }

    /** Whether the filter {@code key} counts a notification stored under {@code storedKey}. */
    public static boolean covers(String key, String storedKey) {
        return isPrefix(key) ? storedKey.startsWith(rangeStart(key)) : key.equals(storedKey);
    }

    /** The tags as stored in {@code notifications.tags}: joined by spaces, null when none. */
    public static String storedTags(List<String> tags) {
        return tags.isEmpty() ? null : String.join(" ", tags);
    }

    /** The tags of a stored {@code notifications.tags} value. */
    public static List<String> tagsOf(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : List.of(stored.split(" "));
    }

    /**
     * The key of a {@code type} list parameter ({@code order.shipped} or {@code order.*}), or why it
     * is not one.
     */
    public static Result typeFilter(String value) {
        return parse(TYPE + value);
    }

    /** The key of a {@code tag} list parameter, or why it is not one. */
    public static Result tagFilter(String value) {
        return parse(TAG + value);
    }

    /**
     * A filter of {@code GET …/counts}: {@code all}, {@code type:…} or {@code tag:…}; {@link Result#key()}
     * is empty for {@code all}.
     */
    public static Result parse(String filter) {
        if (filter.equals(ALL)) {
            return new Result(Optional.empty(), null);
        }
        if (filter.startsWith(TYPE)) {
            String type = filter.substring(TYPE.length());
            String word = type.endsWith(ANY) ? type.substring(0, type.length() - ANY.length()) : type;
            if (word.isEmpty() || !NotificationFields.isType(word)) {
                return Result.refused("type must be a notification type (order.shipped) or a prefix ending in .* (order.*)");
            }
            return new Result(Optional.of(filter), null);
        }
        if (filter.startsWith(TAG)) {
            if (!NotificationFields.isTag(filter.substring(TAG.length()))) {
                return Result.refused("tag must be a lower-case word like vip or eu-west (at most "
                        + NotificationFields.MAX_TAG_LENGTH + " characters)");
            }
            return new Result(Optional.of(filter), null);
        }
        return Result.refused("must be all, type:<type or prefix.*> or tag:<tag>");
    }

    /** A parsed filter: its key (empty for {@code all}), or the problem with it. */
    public record Result(Optional<String> key, String problem) {

        static Result refused(String problem) {
            return new Result(Optional.empty(), problem);
        }

        public boolean refused() {
            return problem != null;
        }
    }
}
