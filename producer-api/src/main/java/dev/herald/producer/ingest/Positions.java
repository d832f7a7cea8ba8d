package dev.herald.producer.ingest;

import dev.herald.schema.Cursor;

/** The cursor of a record the broker acknowledged, stamped with its topic's epoch. */
@FunctionalInterface
interface Positions {

    Cursor cursor(String topic, int partition, long offset);
}
