-- Notification actions and expiry (issue 17). Runs on MySQL 8, MariaDB 10.11 and H2 in MySQL mode;
-- all additive: rows stored before have no actions and never expire.
--
-- actions: the notification's buttons as the envelope's JSON array; NULL when it has none.
-- expires_at_ms: when it leaves the inbox (epoch milliseconds); NULL when never. Lists and counts
-- leave out what expired at read time; the retention job (RetentionJob) deletes it later in small
-- batches and takes the unread ones off unread_counts in the same transaction.
ALTER TABLE notifications ADD COLUMN actions TEXT NULL;
ALTER TABLE notifications ADD COLUMN expires_at_ms BIGINT NULL;
ALTER TABLE channel_messages ADD COLUMN actions TEXT NULL;
ALTER TABLE channel_messages ADD COLUMN expires_at_ms BIGINT NULL;

-- The notifications that expire, one row each, written by InboxWriter in the transaction that
-- stores the notification and deleted with it. Apart from notifications, so that the many that
-- never expire cost no index entries (two more indexes on notifications made the writer's CPU per
-- event on H2 nearly double, InboxWriterMeasurement). The primary key gives a user's expired rows
-- as one range (the unread count subtracts the unread ones until they are swept);
-- ix_notification_expiries_at gives the retention job every user's expired rows by time.
CREATE TABLE notification_expiries (
    user_id          VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    expires_at_ms    BIGINT NOT NULL,
    notification_id  BIGINT NOT NULL,
    PRIMARY KEY (user_id, expires_at_ms, notification_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_notification_expiries_at ON notification_expiries (expires_at_ms);

-- Channel messages are written far less often: their expiry is indexed in place.
CREATE INDEX ix_channel_messages_expires ON channel_messages (expires_at_ms);
