package dev.herald.store.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record the store cannot apply, and why: it goes to the DLT as it came, with the reason and its
 * origin in headers.
 */
record DeadLetter(int partition, long offset, String key, byte[] value, String reason) implements Positioned {

    /** Reasons name fields or quote the database; past this they say nothing more, and the column must hold them. */
    static final int MAX_REASON_LENGTH = 2000;

    static DeadLetter of(ConsumerRecord<String, byte[]> record, String reason) {
        String bounded = reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH - 1) + "…";
        return new DeadLetter(record.partition(), record.offset(), record.key(), record.value(), bounded);
    }
}
