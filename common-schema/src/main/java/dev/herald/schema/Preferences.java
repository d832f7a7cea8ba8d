package dev.herald.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A user's notification preferences: rules that mute or allow notifications by type. The most
 * specific rule that matches a type decides: an exact type beats a prefix, a longer prefix beats a
 * shorter one, and {@code *} (every type) comes last. A type no rule matches is not muted. Always
 * the whole set (a {@code preferences} event replaces the previous one), so the latest event is the
 * state.
 *
 * <p>A pattern is a type ({@code order.shipped}), a type followed by {@code .*} ({@code marketing.*}:
 * every type that starts with {@code marketing.}, not {@code marketing} itself), or {@code *} alone.
 *
 * @param rules at most {@value #MAX_RULES}, each pattern at most once
 */
public record Preferences(List<Rule> rules) {

    public static final int MAX_RULES = 50;

    /** No rules: nothing is muted. */
    public static final Preferences NONE = new Preferences(List.of());

    private static final String ANY = "*";
    private static final String PREFIX_SUFFIX = ".*";

    public Preferences {
        rules = List.copyOf(rules);
    }

    /**
     * @param type {@code *}, a notification type, or a type followed by {@code .*}
     * @param mute true to mute what it matches, false to allow it (overriding a less specific mute)
     */
    public record Rule(String type, boolean mute) {

        public Rule {
            Objects.requireNonNull(type, "type");
        }

        /** How specifically this rule matches {@code notificationType}: -1 when it does not match at all. */
        int specificity(String notificationType) {
            if (type.equals(ANY)) {
                return 0;
            }
            if (type.endsWith(PREFIX_SUFFIX)) {
                String prefix = type.substring(0, type.length() - 1);
                // A prefix of n characters ranks 1 + n: longer prefixes win, and every prefix loses to an exact type.
                return notificationType.startsWith(prefix) ? 1 + prefix.length() : -1;
            }
            return type.equals(notificationType) ? Integer.MAX_VALUE : -1;
        }
    }

    /** Whether a notification of this type is muted (ignoring {@code critical}, which the caller checks). */
    public boolean mutes(String type) {
        int best = -1;
        boolean mute = false;
        for (Rule rule : rules) {
            int specificity = rule.specificity(type);
            if (specificity > best) {
                best = specificity;
                mute = rule.mute();
            }
        }
        return mute;
    }

    /** Whether a notification is held back: its type is muted and it is not critical. */
    public boolean suppresses(String type, boolean critical) {
        return !critical && mutes(type);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** {@code {"rules":[{"type":…,"mute":…},…]}}. */
    public ObjectNode toJson() {
        ObjectNode json = EnvelopeCodec.mapper().createObjectNode();
        ArrayNode array = json.putArray("rules");
        for (Rule rule : rules) {
            array.addObject().put("type", rule.type()).put("mute", rule.mute());
        }
        return json;
    }

    /**
     * Reads a preference set, {@code {"rules":[…]}}, adding every bad field to {@code errors} (paths
     * under {@code prefix}, e.g. {@code rules[3].type}); null when there are any.
     */
    public static Preferences fromJson(JsonNode json, String prefix, List<FieldError> errors) {
        int before = errors.size();
        if (json == null || !json.isObject()) {
            errors.add(new FieldError(prefix.isEmpty() ? "$" : prefix, "must be a JSON object with a 'rules' array"));
            return null;
        }
        String at = prefix.isEmpty() ? "" : prefix + ".";
        for (var names = json.propertyNames().iterator(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("rules")) {
                errors.add(new FieldError(at + name, "is not a known field"));
            }
        }
        JsonNode array = json.get("rules");
        if (array == null || !array.isArray()) {
            errors.add(new FieldError(at + "rules", "is required (an array of {\"type\",\"mute\"}, possibly empty)"));
            return null;
        }
        if (array.size() > MAX_RULES) {
            errors.add(new FieldError(at + "rules", "must hold at most " + MAX_RULES + " rules, not " + array.size()));
            return null;
        }
        List<Rule> rules = new ArrayList<>(array.size());
        List<String> seen = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String field = at + "rules[" + i + "]";
            JsonNode node = array.get(i);
            if (!node.isObject()) {
                errors.add(new FieldError(field, "must be an object {\"type\",\"mute\"}"));
                continue;
            }
            for (var names = node.propertyNames().iterator(); names.hasNext();) {
                String name = names.next();
                if (!name.equals("type") && !name.equals("mute")) {
                    errors.add(new FieldError(field + "." + name, "is not a known field"));
                }
            }
            String type = pattern(node.get("type"), field + ".type", errors);
            JsonNode mute = node.get("mute");
            if (mute == null || !mute.isBoolean()) {
                errors.add(new FieldError(field + ".mute", "is required (true or false)"));
            }
            if (type != null && seen.contains(type)) {
                errors.add(new FieldError(field + ".type", "repeats '" + type + "'; give each pattern once"));
            }
            if (type != null && mute != null && mute.isBoolean()) {
                seen.add(type);
                rules.add(new Rule(type, mute.booleanValue()));
            }
        }
        return errors.size() > before ? null : new Preferences(rules);
    }

    private static String pattern(JsonNode node, String field, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!node.isString()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        String value = node.asString();
        if (value.equals(ANY)) {
            return value;
        }
        String type = value.endsWith(PREFIX_SUFFIX) ? value.substring(0, value.length() - PREFIX_SUFFIX.length()) : value;
        if (value.length() > NotificationFields.MAX_TYPE_LENGTH || !NotificationFields.isWords(type)) {
            errors.add(new FieldError(field, "must be '*', a type such as order.shipped, or a type followed by '.*' "
                    + "such as marketing.* (at most " + NotificationFields.MAX_TYPE_LENGTH + " characters)"));
            return null;
        }
        return value;
    }
}
