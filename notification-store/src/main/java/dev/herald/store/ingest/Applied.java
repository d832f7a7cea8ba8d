package dev.herald.store.ingest;

/**
 * The outcome of one batch of a topic: items stored, items stored before (the same identity, at
 * another offset or twice in the batch), and records dead-lettered now (not before).
 */
record Applied(int inserted, int duplicates, int deadLettered) {
}
