-- The receipt tracker (herald.store.receipts.*, off by default; package dev.herald.store.receipts).
-- Runs on MySQL 8, MariaDB 10.11 and H2 in MySQL mode. Ids are compared byte for byte (utf8mb4_bin)
-- as in V1-V5; instants are epoch milliseconds.

-- One row per tracked notification until both of its questions are answered: was it delivered
-- within herald.store.receipts.undelivered-after, seen within unseen-after? A due time is null when
-- that question is off or answered (delivered, seen, or alerted); the row goes once both are null,
-- so the table holds only what is still pending. next_due_ms is the earlier of the two, so "what
-- is due now" is one range of its index.
CREATE TABLE receipt_watches (
    user_id             VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    event_id            VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    source              VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    type                VARCHAR(128) NOT NULL,
    title               VARCHAR(200) NOT NULL,
    accepted_at_ms      BIGINT NOT NULL,
    delivered_at_ms     BIGINT NULL,
    undelivered_due_ms  BIGINT NULL,
    unseen_due_ms       BIGINT NULL,
    next_due_ms         BIGINT NOT NULL,
    PRIMARY KEY (user_id, event_id, source)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_receipt_watches_next_due ON receipt_watches (next_due_ms);

-- What herald.receipts (delivered, seen) and the user's read events said about an eventId, kept
-- until expires_at_ms: the watches read them when they fall due. A receipt is only ever inserted
-- (duplicates ignored), so it may arrive before or after its notification reaches the tracker:
-- the two topics are read by different threads.
CREATE TABLE receipt_marks (
    user_id        VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    event_id       VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    kind           VARCHAR(16) NOT NULL,
    at_ms          BIGINT NOT NULL,
    expires_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (user_id, event_id, kind)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_receipt_marks_expires ON receipt_marks (expires_at_ms);

-- The offset of the last herald.user-events record per partition whose effect on the watches is
-- committed (in the same transaction): a batch read again after a crash is not applied twice, so
-- a watch already resolved is not created again.
CREATE TABLE receipt_positions (
    kafka_partition  INT NOT NULL PRIMARY KEY,
    applied_offset   BIGINT NOT NULL
) ENGINE=InnoDB;

-- Alerts on their way to the webhook (an outbox), written in the transaction that resolves their
-- watch. delivery_id (the Herald-Delivery header) is derived from kind, user, source and eventId,
-- so an alert raised twice is one delivery. A row is deleted once the webhook answered 2xx; after
-- herald.store.receipts.webhook.max-attempts failures it stays, dead-lettered (dead_at_ms set,
-- next_attempt_ms null), for operators to list and replay.
CREATE TABLE receipt_alert_deliveries (
    delivery_id      VARCHAR(36) NOT NULL PRIMARY KEY,
    kind             VARCHAR(16) NOT NULL,
    user_id          VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    event_id         VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    payload          TEXT NOT NULL,
    attempts         INT NOT NULL,
    next_attempt_ms  BIGINT NULL,
    last_error       VARCHAR(500) NULL,
    created_at_ms    BIGINT NOT NULL,
    dead_at_ms       BIGINT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_receipt_alert_deliveries_next ON receipt_alert_deliveries (next_attempt_ms);
