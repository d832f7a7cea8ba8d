-- Per-user preferences (issue 17): each user's latest preference set, the whole set as JSON
-- ({"rules":[{"type":"marketing.*","mute":true},…]}), written only by InboxWriter from the user's
-- preferences events, in order with the rest of the inbox (invariant 8). updated_offset is the
-- event's offset in the user's partition of herald.user-events. Ids are compared byte for byte
-- (utf8mb4_bin) as in V1-V5. Runs on MySQL 8, MariaDB 10.11 and H2 in MySQL mode.
CREATE TABLE user_preferences (
    user_id         VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
    rules           TEXT NOT NULL,
    updated_offset  BIGINT NOT NULL,
    updated_at_ms   BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- 1: the notification arrived while its type was muted for its user (and it was not critical). It
-- never counted as unread, and inbox lists leave it out unless asked (?muted=include). Decided once,
-- on arrival: a later change of preferences does not change it. Existing rows were not muted.
ALTER TABLE notifications ADD COLUMN muted TINYINT NOT NULL DEFAULT 0;
