-- Item states (issue 17): seen (the feed was opened; counted as unseen until then) and archived
-- (hidden from the default list and from the counts), each set by an event of the user's partition
-- that InboxWriter applies in order with the rest of the inbox (invariant 8), as read is (V1, V5).
-- Runs on MySQL 8, MariaDB 10.11 and H2 in MySQL mode. Ids are compared byte for byte (utf8mb4_bin)
-- as in V1-V5; instants are epoch milliseconds.
ALTER TABLE notifications ADD COLUMN seen_at_ms BIGINT NULL;
ALTER TABLE notifications ADD COLUMN archived_at_ms BIGINT NULL;

-- The unseen count, kept with the unread count in the same transaction as the rows, so neither
-- scans the inbox. Both leave archived items out.
ALTER TABLE unread_counts ADD COLUMN unseen INT NOT NULL DEFAULT 0;

-- Seen and read are independent states from now on. What a user read before seen existed, they had
-- seen: it starts seen (once, over the whole table), so the unseen count starts as the unread count
-- rather than as every notification a user ever had.
UPDATE notifications SET seen_at_ms = read_at_ms WHERE read_at_ms IS NOT NULL;
UPDATE unread_counts SET unseen = unread;

-- Inbox channels (V5): a user's seen state of their messages, without a row per user per message,
-- exactly as the read state is kept: a row per message the user saw one by one (channel_seen) and
-- seen-all's mark per channel (channel_seen_marks).
CREATE TABLE channel_seen (
    user_id       VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    channel       VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    kafka_offset  BIGINT NOT NULL,
    seen_at_ms    BIGINT NOT NULL,
    PRIMARY KEY (user_id, channel, kafka_offset)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Every message of the channel at or below seen_up_to is seen by this user (seen-all).
CREATE TABLE channel_seen_marks (
    user_id     VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    channel     VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    seen_up_to  BIGINT NOT NULL,
    seen_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (user_id, channel)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- As for the user's own notifications: what was read before V6 starts seen.
INSERT INTO channel_seen (user_id, channel, kafka_offset, seen_at_ms)
    SELECT user_id, channel, kafka_offset, read_at_ms FROM channel_reads;
INSERT INTO channel_seen_marks (user_id, channel, seen_up_to, seen_at_ms)
    SELECT user_id, channel, read_up_to, read_at_ms FROM channel_read_marks;

-- A row for each inbox-channel message the user archived; unarchiving deletes it. Archive-all
-- writes a row per message it covers (at most the channel's messages within the inbox window).
CREATE TABLE channel_archives (
    user_id         VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    channel         VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    kafka_offset    BIGINT NOT NULL,
    archived_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (user_id, channel, kafka_offset)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
