-- Tabs and counts (issue 17 item 2): tags set at send time, and exact counts per filter kept in the
-- same transaction as the rows, as unread_counts is (V1, V6). Written only by InboxWriter, from the
-- events of the user's partition in order (invariant 8). Runs on MySQL 8, MariaDB 10.11 and H2 in
-- MySQL mode; ids and keys are compared byte for byte (utf8mb4_bin) as in V1-V6.

-- The notification's tags as sent, joined by single spaces (a tag has none); null when it has none.
-- Grouping the rows a state change touches by (type, tags) is what lets one query tell which
-- counters move.
ALTER TABLE notifications ADD COLUMN tags VARCHAR(400) NULL;

-- A row per filter key a notification matches: 'type:order.shipped' (its type), 'type:order.*'
-- (each prefix ending at a '.'), 'tag:vip' (each tag). Filtered pages walk one key of one user by
-- offset, newest or oldest first, as the unfiltered page walks ix_notifications_user_offset: a
-- range read of this primary key, then the row by (user_id, kafka_offset).
CREATE TABLE notification_keys (
    user_id          VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    counter_key      VARCHAR(140) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    kafka_partition  INT NOT NULL,
    kafka_offset     BIGINT NOT NULL,
    PRIMARY KEY (user_id, counter_key, kafka_partition, kafka_offset)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Per user and filter key, the unread and unseen counts of the user's own notifications that
-- match it; like unread_counts they leave archived items out.
CREATE TABLE inbox_counts (
    user_id      VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    counter_key  VARCHAR(140) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    unread       INT NOT NULL,
    unseen       INT NOT NULL,
    PRIMARY KEY (user_id, counter_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Notifications stored before V10 have no tags; their exact type is backfilled here, as key and
-- count (counted as unread_counts counts: neither archived nor muted), their type prefixes by the
-- Java migration V10_1 (portable SQL cannot split a type at each '.').
INSERT INTO notification_keys (user_id, counter_key, kafka_partition, kafka_offset)
    SELECT DISTINCT user_id, CONCAT('type:', type), kafka_partition, kafka_offset FROM notifications;
INSERT INTO inbox_counts (user_id, counter_key, unread, unseen)
    SELECT user_id, CONCAT('type:', type),
           SUM(CASE WHEN read_at_ms IS NULL AND archived_at_ms IS NULL AND muted = 0 THEN 1 ELSE 0 END),
           SUM(CASE WHEN seen_at_ms IS NULL AND archived_at_ms IS NULL AND muted = 0 THEN 1 ELSE 0 END)
    FROM notifications GROUP BY user_id, type;
