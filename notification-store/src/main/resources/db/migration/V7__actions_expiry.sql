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

-- Between expiry and sweep, a user's unread count subtracts the user's expired unread rows: one
-- range of this index (rows that never expire are NULL, outside every range).
CREATE INDEX ix_notifications_user_expires ON notifications (user_id, expires_at_ms);
-- The retention job finds expired rows of every user by time: the range expires_at_ms <= now.
CREATE INDEX ix_notifications_expires ON notifications (expires_at_ms);
CREATE INDEX ix_channel_messages_expires ON channel_messages (expires_at_ms);
