-- Records of herald.user-events that the store cannot apply, on their way to herald.user-events.DLT
-- (an outbox). A row is written in the transaction that moves its partition's applied position past
-- the record, so however often a batch is retried or read again, each record is dead-lettered once:
-- a record at or below the position is never recorded again. The row is forwarded to the DLT after
-- that commit and deleted once Kafka acknowledged it; rows that could not be forwarded wait here.
-- Key and value are kept as bytes, unchanged (a value is up to a Kafka record's size, ~1 MB).
CREATE TABLE dead_letters (
    kafka_partition  INT NOT NULL,
    kafka_offset     BIGINT NOT NULL,
    record_key       LONGBLOB NULL,
    record_value     LONGBLOB NULL,
    reason           TEXT NOT NULL,
    created_at_ms    BIGINT NOT NULL,
    PRIMARY KEY (kafka_partition, kafka_offset)
) ENGINE=InnoDB;
