-- Channel history: a projection of herald.channel-events, as the inbox is of herald.user-events
-- (V1). Runs on MySQL 8, MariaDB 10.11 and H2 in MySQL mode. Channels, event ids and sources are
-- compared byte for byte (utf8mb4_bin), as the writer compares them and as Kafka compares keys (V2).
-- Instants are epoch milliseconds.
CREATE TABLE channel_messages (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    event_id         VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    channel          VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    source           VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    kafka_partition  INT NOT NULL,
    kafka_offset     BIGINT NOT NULL,
    type             VARCHAR(128) NOT NULL,
    title            VARCHAR(200) NOT NULL,
    body             TEXT NOT NULL,
    data             TEXT NULL,
    occurred_at_ms   BIGINT NOT NULL,
    accepted_at_ms   BIGINT NOT NULL,
    -- An eventId names a message among what one source sent to one channel: a second record with
    -- the same three is the same message, stored once.
    CONSTRAINT uk_channel_messages_channel_event_source UNIQUE (channel, event_id, source)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- History pages walk one channel's messages by offset (a channel's messages share a partition).
CREATE INDEX ix_channel_messages_channel_offset ON channel_messages (channel, kafka_offset);

-- The offset of the last record of each partition of herald.channel-events whose effect is
-- committed here, kept in the same transaction as the rows: records at or below it are skipped on
-- redelivery, and it is the cursor history responses hand to clients. Apart from
-- applied_positions, whose partitions are those of herald.user-events.
CREATE TABLE channel_positions (
    kafka_partition  INT NOT NULL PRIMARY KEY,
    applied_offset   BIGINT NOT NULL
) ENGINE=InnoDB;

-- Records of herald.channel-events that the store cannot apply, on their way to
-- herald.channel-events.DLT: the outbox of V3 (dead_letters), for this topic's partitions. A row is
-- written in the transaction that moves channel_positions past the record, forwarded after that
-- commit, and deleted once Kafka acknowledged it.
CREATE TABLE channel_dead_letters (
    kafka_partition  INT NOT NULL,
    kafka_offset     BIGINT NOT NULL,
    record_key       LONGBLOB NULL,
    record_value     LONGBLOB NULL,
    reason           TEXT NOT NULL,
    created_at_ms    BIGINT NOT NULL,
    PRIMARY KEY (kafka_partition, kafka_offset)
) ENGINE=InnoDB;
