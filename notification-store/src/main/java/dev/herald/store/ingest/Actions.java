package dev.herald.store.ingest;

import java.util.List;

import tools.jackson.databind.node.ObjectNode;

import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.NotificationAction;

/** The {@code actions} column (V7): the envelope's JSON array of a notification's buttons. */
final class Actions {

    private Actions() {
    }

    static String json(List<NotificationAction> actions) {
        ObjectNode holder = EnvelopeCodec.mapper().createObjectNode();
        EnvelopeCodec.writeActions(holder, actions);
        return holder.get("actions").toString();
    }
}
