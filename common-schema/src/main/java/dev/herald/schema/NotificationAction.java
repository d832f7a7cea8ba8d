package dev.herald.schema;

import java.util.Objects;

/**
 * A button of a notification: a label and what it does, either open {@code url} or ask the page to
 * perform the named {@code action} (the SDK hands the page the action's {@code id}). Exactly one
 * of {@code url} and {@code action} is set; {@link NotificationFields#actions} states the rules.
 *
 * @param id unique within its notification, in the charset of an eventId
 * @param label the button's text, 1-{@value NotificationFields#MAX_ACTION_LABEL_LENGTH} characters
 * @param url an absolute http(s) URL to open; null for a named action
 * @param action the name of an action the page performs; null for a URL action
 */
public record NotificationAction(String id, String label, String url, String action) {

    public NotificationAction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        if ((url == null) == (action == null)) {
            throw new IllegalArgumentException("exactly one of url and action");
        }
    }

    public static NotificationAction link(String id, String label, String url) {
        return new NotificationAction(id, label, url, null);
    }

    public static NotificationAction named(String id, String label, String action) {
        return new NotificationAction(id, label, null, action);
    }
}
