package dev.herald.schema;

import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Channel names and the patterns a user token may grant.
 *
 * <p>A channel is one to eight segments joined by {@code :}, each of lower-case letters, digits,
 * {@code _}, {@code -} and {@code .}, starting with a letter or digit; 128 characters at most:
 * {@code system}, {@code order:42}, {@code dashboard:ops}. A pattern is a channel name, a channel
 * name followed by {@code :*} (every channel below it: {@code order:*} grants {@code order:42} and
 * {@code order:42:items}, not {@code order}), or {@code *} (every channel).
 */
public final class Channels {

    public static final int MAX_LENGTH = 128;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]*(?::[a-z0-9][a-z0-9_.-]*){0,7}");
    public static final String GRAMMAR = "1-8 segments joined by ':', each of a-z, 0-9, '_', '-' and '.' starting with a "
            + "letter or digit, at most " + MAX_LENGTH + " characters (e.g. system, order:42, dashboard:ops)";

    private Channels() {
    }

    /** Why {@code name} is not a channel name, or empty when it is one. */
    public static Optional<String> problemWith(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("is required");
        }
        if (name.length() > MAX_LENGTH || !NAME.matcher(name).matches()) {
            return Optional.of("must be " + GRAMMAR);
        }
        return Optional.empty();
    }

    /** Why {@code pattern} is not a channel pattern, or empty when it is one. */
    public static Optional<String> problemWithPattern(String pattern) {
        if ("*".equals(pattern)) {
            return Optional.empty();
        }
        if (pattern != null && pattern.endsWith(":*")) {
            return problemWith(pattern.substring(0, pattern.length() - 2))
                    .map(problem -> "must be a channel name, a channel name followed by ':*', or '*'");
        }
        return problemWith(pattern).map(problem -> "must be a channel name, a channel name followed by ':*', or '*'");
    }

    /** Whether {@code pattern} grants {@code channel}. */
    public static boolean grants(String pattern, String channel) {
        if ("*".equals(pattern)) {
            return true;
        }
        if (pattern.endsWith(":*")) {
            return channel.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(channel);
    }

    /** Whether any of {@code patterns} grants {@code channel}. */
    public static boolean anyGrants(Collection<String> patterns, String channel) {
        return patterns.stream().anyMatch(pattern -> grants(pattern, channel));
    }

    /** The family of a channel, for metrics: its first segment ({@code order} for {@code order:42}). */
    public static String familyOf(String channel) {
        int colon = channel.indexOf(':');
        return colon < 0 ? channel : channel.substring(0, colon);
    }
}
