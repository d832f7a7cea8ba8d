package dev.herald.store.ingest;

import dev.herald.schema.Envelope;

/** A valid event and where it sits in the stream. */
record PositionedEvent(Envelope event, int partition, long offset) implements Positioned {
}
