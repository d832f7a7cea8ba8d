-- The inbox: a projection of herald.user-events (invariant 8). Runs on MySQL 8, MariaDB 10.11 and
-- H2 in MySQL mode. Ids are compared byte for byte (utf8mb4_bin): "Alice" and "alice" are two users,
-- as they are two Kafka keys. Instants are epoch milliseconds, free of time-zone conversions.
CREATE TABLE notifications (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    event_id         VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    user_id          VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    kafka_partition  INT NOT NULL,
    kafka_offset     BIGINT NOT NULL,
    type             VARCHAR(128) NOT NULL,
    title            VARCHAR(200) NOT NULL,
    body             TEXT NOT NULL,
    data             TEXT NULL,
    source           VARCHAR(128) NOT NULL,
    occurred_at_ms   BIGINT NOT NULL,
    accepted_at_ms   BIGINT NOT NULL,
    read_at_ms       BIGINT NULL,
    CONSTRAINT uk_notifications_event_id UNIQUE (event_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Inbox pages walk one user's events by offset (all of a user's events share a partition).
CREATE INDEX ix_notifications_user_offset ON notifications (user_id, kafka_offset);

-- Kept in the same transaction as the rows, so the unread count never scans the inbox.
CREATE TABLE unread_counts (
    user_id  VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
    unread   INT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The offset of the last record of each partition whose effect is committed here: records at or
-- below it are skipped on redelivery, and it is the cursor that inbox responses hand to clients.
CREATE TABLE applied_positions (
    kafka_partition  INT NOT NULL PRIMARY KEY,
    applied_offset   BIGINT NOT NULL
) ENGINE=InnoDB;
