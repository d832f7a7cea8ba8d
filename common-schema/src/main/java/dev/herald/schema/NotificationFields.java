package dev.herald.schema;

import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * The rules for the fields of a notification, in one place: the envelope decoder and the
 * producer-api's request parser both use them, and {@code envelope-v1.schema.json} states the same.
 * Each method adds to {@code errors} instead of throwing, so a caller reports every bad field at once.
 */
public final class NotificationFields {

    public static final int MAX_USER_ID_LENGTH = 128;
    public static final int MAX_EVENT_ID_LENGTH = 64;
    public static final int MAX_TYPE_LENGTH = 128;
    public static final int MAX_TITLE_LENGTH = 200;
    public static final int MAX_BODY_LENGTH = 4000;
    public static final int MAX_DATA_BYTES = 16 * 1024;
    public static final int MAX_REFS = 1000;
    public static final int MAX_TAGS = 10;
    public static final int MAX_TAG_LENGTH = 32;
    public static final int MAX_ACTIONS = 2;
    public static final int MAX_ACTION_LABEL_LENGTH = 40;
    public static final int MAX_ACTION_NAME_LENGTH = 64;
    public static final int MAX_ACTION_URL_LENGTH = 2000;
    /** How far ahead of its acceptance a notification may expire. */
    public static final Duration MAX_EXPIRY = Duration.ofDays(366);

    private NotificationFields() {
    }

    public static String userId(JsonNode node, String field, List<FieldError> errors) {
        String value = requiredText(node, field, errors);
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            return reject(errors, field, "must not be blank");
        }
        if (value.length() > MAX_USER_ID_LENGTH) {
            return reject(errors, field, "must be at most " + MAX_USER_ID_LENGTH + " characters");
        }
        if (hasControl(value) || !value.strip().equals(value)) {
            return reject(errors, field, "must not contain control characters or surrounding spaces");
        }
        return value;
    }

    public static String eventId(JsonNode node, String field, List<FieldError> errors) {
        String value = requiredText(node, field, errors);
        if (value != null && (value.length() > MAX_EVENT_ID_LENGTH || !isEventIdForm(value))) {
            return reject(errors, field, "must be 1-" + MAX_EVENT_ID_LENGTH
                    + " characters of letters, digits and . _ : - (starting with a letter or digit)");
        }
        return value;
    }

    public static String type(JsonNode node, String field, List<FieldError> errors) {
        String value = requiredText(node, field, errors);
        if (value != null && (value.length() > MAX_TYPE_LENGTH || !isWords(value))) {
            return reject(errors, field, "must be lower-case words joined by '.', '_' or '-', e.g. order.shipped (at most "
                    + MAX_TYPE_LENGTH + " characters)");
        }
        return value;
    }

    public static String title(JsonNode node, String field, List<FieldError> errors) {
        String value = requiredText(node, field, errors);
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            return reject(errors, field, "must not be blank");
        }
        if (value.length() > MAX_TITLE_LENGTH) {
            return reject(errors, field, "must be at most " + MAX_TITLE_LENGTH + " characters");
        }
        return value;
    }

    /** Optional; absent or null means an empty body. */
    public static String body(JsonNode node, String field, List<FieldError> errors) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        if (!node.isString()) {
            return reject(errors, field, "must be a string");
        }
        String value = node.asString();
        if (value.length() > MAX_BODY_LENGTH) {
            return reject(errors, field, "must be at most " + MAX_BODY_LENGTH + " characters");
        }
        return value;
    }

    /** Optional; absent or null means no data. */
    public static JsonNode data(JsonNode node, String field, List<FieldError> errors) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (!node.isObject()) {
            reject(errors, field, "must be a JSON object");
            return null;
        }
        if (jsonBytes(node) > MAX_DATA_BYTES) {
            reject(errors, field, "must be at most " + MAX_DATA_BYTES + " bytes of JSON");
            return null;
        }
        return node;
    }

    /** The length of {@code node} in compact UTF-8 JSON, counted as it is written, not kept. */
    static long jsonBytes(JsonNode node) {
        long[] count = { 0 };
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        };
        EnvelopeCodec.mapper().writeValue(counter, node);
        return count[0];
    }

    /** Optional; absent or null means no tags. Each is named by its index ({@code tags[2]}). */
    public static List<String> tags(JsonNode node, String field, List<FieldError> errors) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return List.of();
        }
        if (!node.isArray()) {
            reject(errors, field, "must be an array of tags");
            return List.of();
        }
        if (node.size() > MAX_TAGS) {
            reject(errors, field, "must hold at most " + MAX_TAGS + " tags");
            return List.of();
        }
        List<String> tags = new ArrayList<>(node.size());
        int errorsBefore = errors.size();
        for (int i = 0; i < node.size(); i++) {
            String name = field + "[" + i + "]";
            String tag = requiredText(node.get(i), name, errors);
            if (tag == null) {
                continue;
            }
            if (!isTag(tag)) {
                reject(errors, name, "must be a lower-case word like a type's, e.g. vip or eu-west (at most "
                        + MAX_TAG_LENGTH + " characters)");
            }
            else if (tags.contains(tag)) {
                reject(errors, name, "repeats tag '" + tag + "'");
            }
            else {
                tags.add(tag);
            }
        }
        return errors.size() > errorsBefore ? List.of() : List.copyOf(tags);
    }

    /** Whether {@code value} is a valid tag: words of {@code [a-z0-9]} joined by '.', '_' or '-'. */
    public static boolean isTag(String value) {
        return value.length() <= MAX_TAG_LENGTH && isWords(value);
    }

    /** Whether {@code value} is a valid notification type. */
    public static boolean isType(String value) {
        return value.length() <= MAX_TYPE_LENGTH && isWords(value);
    }

    /** Optional; absent or null means not critical. A critical notification bypasses the user's mutes. */
    public static boolean critical(JsonNode node, String field, List<FieldError> errors) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return false;
        }
        if (!node.isBoolean()) {
            reject(errors, field, "must be true or false");
            return false;
        }
        return node.booleanValue();
    }

    /**
     * Optional; absent or null means no buttons. At most {@value #MAX_ACTIONS} objects
     * {@code {"id","label","url"}} or {@code {"id","label","action"}}: exactly one of {@code url}
     * (absolute http or https, at most {@value #MAX_ACTION_URL_LENGTH} characters) and
     * {@code action} (a name like a type, e.g. {@code archive}); {@code id} in the charset of an
     * eventId and unique within the notification; {@code label} 1-{@value #MAX_ACTION_LABEL_LENGTH}
     * characters without control characters.
     */
    public static List<NotificationAction> actions(JsonNode node, String field, List<FieldError> errors) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return List.of();
        }
        if (!node.isArray()) {
            reject(errors, field, "must be an array of at most " + MAX_ACTIONS + " actions");
            return List.of();
        }
        if (node.size() > MAX_ACTIONS) {
            reject(errors, field, "must hold at most " + MAX_ACTIONS + " actions");
            return List.of();
        }
        int errorsBefore = errors.size();
        List<NotificationAction> actions = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            NotificationAction action = action(node.get(i), field + "[" + i + "]", errors);
            if (action == null) {
                continue;
            }
            if (actions.stream().anyMatch(other -> other.id().equals(action.id()))) {
                reject(errors, field + "[" + i + "].id", "must differ from the other actions' ids");
                continue;
            }
            actions.add(action);
        }
        return errors.size() > errorsBefore ? List.of() : actions;
    }

    private static NotificationAction action(JsonNode node, String field, List<FieldError> errors) {
        if (!node.isObject()) {
            return reject(errors, field, "must be an object with id, label and either url or action");
        }
        int errorsBefore = errors.size();
        for (String name : node.propertyNames()) {
            if (!name.equals("id") && !name.equals("label") && !name.equals("url") && !name.equals("action")) {
                reject(errors, field + "." + name, "is not a known field");
            }
        }
        String id = eventId(node.get("id"), field + ".id", errors);
        String label = actionLabel(node.get("label"), field + ".label", errors);
        JsonNode url = node.get("url");
        JsonNode name = node.get("action");
        boolean hasUrl = url != null && !url.isNull();
        boolean hasName = name != null && !name.isNull();
        String urlValue = null;
        String nameValue = null;
        if (hasUrl == hasName) {
            reject(errors, field + (hasUrl ? ".action" : ".url"), "give either url or action, " + (hasUrl ? "not both" : "one of them"));
        }
        else if (hasUrl) {
            urlValue = actionUrl(url, field + ".url", errors);
        }
        else {
            nameValue = requiredText(name, field + ".action", errors);
            if (nameValue != null && (nameValue.length() > MAX_ACTION_NAME_LENGTH || !isWords(nameValue))) {
                nameValue = reject(errors, field + ".action", "must be lower-case words joined by '.', '_' or '-', e.g. archive (at most "
                        + MAX_ACTION_NAME_LENGTH + " characters)");
            }
        }
        if (errors.size() > errorsBefore) {
            return null;
        }
        return new NotificationAction(id, label, urlValue, nameValue);
    }

    private static String actionLabel(JsonNode node, String field, List<FieldError> errors) {
        String value = requiredText(node, field, errors);
        if (value == null) {
            return null;
        }
        if (value.isBlank() || value.length() > MAX_ACTION_LABEL_LENGTH) {
            return reject(errors, field, "must be 1-" + MAX_ACTION_LABEL_LENGTH + " characters, not blank");
        }
        if (hasControl(value)) {
            return reject(errors, field, "must not contain control characters");
        }
        return value;
    }

    private static String actionUrl(JsonNode node, String field, List<FieldError> errors) {
        String value = requiredText(node, field, errors);
        if (value == null) {
            return null;
        }
        String problem = "must be an absolute http or https URL of at most " + MAX_ACTION_URL_LENGTH + " characters";
        if (value.length() > MAX_ACTION_URL_LENGTH) {
            return reject(errors, field, problem);
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null || uri.getHost().isEmpty()) {
                return reject(errors, field, problem);
            }
        }
        catch (URISyntaxException ex) {
            return reject(errors, field, problem);
        }
        return value;
    }

    /**
     * Optional; absent or null means it never expires. An ISO-8601 instant; given
     * {@code acceptedAt} (a new notification, not a stored record), it must also be after it and at
     * most {@link #MAX_EXPIRY} later: a record read back later may well have expired.
     */
    public static Instant expiresAt(JsonNode node, String field, Instant acceptedAt, List<FieldError> errors) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        Instant at;
        try {
            at = node.isString() ? Instants.parse(node.asString()) : null;
        }
        catch (DateTimeParseException ex) {
            at = null;
        }
        if (at == null) {
            reject(errors, field, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            return null;
        }
        if (acceptedAt != null && !at.isAfter(acceptedAt)) {
            reject(errors, field, "must be in the future (it is " + acceptedAt + " now)");
            return null;
        }
        if (acceptedAt != null && at.isAfter(acceptedAt.plus(MAX_EXPIRY))) {
            reject(errors, field, "must be at most " + MAX_EXPIRY.toDays() + " days ahead");
            return null;
        }
        return at;
    }

    private static String requiredText(JsonNode node, String field, List<FieldError> errors) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return reject(errors, field, "is required");
        }
        if (!node.isString()) {
            return reject(errors, field, "must be a string");
        }
        return node.asString();
    }

    private static <T> T reject(List<FieldError> errors, String field, String message) {
        errors.add(new FieldError(field, message));
        return null;
    }

    /*
     * The forms of types, tags, action names and eventIds, checked char by char: these run for every
     * event in producer-api, the store and each gateway, where regular expressions cost a few per
     * cent of the CPU (JFR). NotificationFieldFormsTests checks them against the expressions they replace.
     */

    /** Words of {@code [a-z0-9]} joined by single '.', '_' or '-': {@code [a-z0-9]+(?:[._-][a-z0-9]+)*}. */
    static boolean isWords(String value) {
        boolean afterWordChar = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                afterWordChar = true;
            }
            else if ((c == '.' || c == '_' || c == '-') && afterWordChar) {
                afterWordChar = false;
            }
            else {
                return false;
            }
        }
        return afterWordChar;
    }

    /** {@code [A-Za-z0-9][A-Za-z0-9._:-]*}. */
    static boolean isEventIdForm(String value) {
        if (value.isEmpty() || !isAsciiLetterOrDigit(value.charAt(0))) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != ':' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code value} holds a control character, {@code \p{Cntrl}}: U+0000-U+001F and U+007F. */
    static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
