-- Inbox channels (herald.store.inbox-channels, e.g. system): channels addressed to every user, so
-- each of their messages (kept once in channel_messages, V4) is in every user's inbox. A user's read
-- state of them is kept without a row per user per message: the messages the user marked read one
-- by one (channel_reads), and the offset up to which a read-all covered the channel
-- (channel_read_marks). Both are written only by InboxWriter, from the read and read_all events of
-- the user's partition, in order with the rest of the inbox (invariant 8).
--
-- A message is named by its channel and offset: its position in herald.channel-events, the same
-- however often the channel topic is replayed into channel_messages, and what the count ranges
-- over (ix_channel_messages_channel_offset). Ids are compared byte for byte (utf8mb4_bin) as in
-- V1-V4. Runs on MySQL 8, MariaDB 10.11 and H2 in MySQL mode.
CREATE TABLE channel_reads (
    user_id       VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    channel       VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    kafka_offset  BIGINT NOT NULL,
    read_at_ms    BIGINT NOT NULL,
    -- A user's reads of a channel above an offset are one range of this key: the unread count
    -- subtracts them without touching any other user's rows.
    PRIMARY KEY (user_id, channel, kafka_offset)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Every message of the channel at or below read_up_to is read for this user (read-all).
CREATE TABLE channel_read_marks (
    user_id     VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    channel     VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    read_up_to  BIGINT NOT NULL,
    read_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (user_id, channel)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The inbox window (herald.store.inbox-channel-window): the first offset of a channel accepted
-- since a given instant, read from the index alone.
CREATE INDEX ix_channel_messages_channel_accepted ON channel_messages (channel, accepted_at_ms, kafka_offset);
