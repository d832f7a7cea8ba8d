package dev.herald.store.ingest;

/** A record of a topic, valid or not, by where it sits in the stream. */
interface Positioned {

    int partition();

    long offset();
}
