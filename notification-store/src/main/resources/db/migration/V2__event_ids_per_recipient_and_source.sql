-- An eventId is the sender's own name for a notification (callers may give it), so it is unique
-- only among what one sender sent to one user: a notification is a duplicate only when the same
-- user already has the same eventId from the same source (the API key's name). V1 made event_id
-- unique across all users, so a second user given the same eventId lost the notification although
-- producer-api had accepted it.
--
-- Existing rows already satisfy the new constraint: V1 kept event_id unique on its own, so no two
-- rows share (user_id, event_id, source). No data changes.
--
-- user_id comes first so that lookups by user and eventId (mark-read, its 404 check, the writer's
-- duplicate check) use this index. Runs on MySQL 8, MariaDB 10.11 and H2 in MySQL mode.

-- The writer compares sources byte for byte, as it does user ids and event ids (V1): so must the
-- constraint, or "Shop" and "shop" would clash in MySQL's default collation and the second be
-- refused. MySQL and MariaDB run what is inside /*!50503 */ (from version 5.5.3, which brought
-- utf8mb4; Flyway passes such a comment on only with a version); H2, which compares strings byte
-- for byte already, reads it as a comment.
/*!50503 ALTER TABLE notifications MODIFY source VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL */;

-- The new constraint first, then the old one goes: MySQL commits each statement on its own, and at
-- no point between them may a duplicate get in.
ALTER TABLE notifications ADD CONSTRAINT uk_notifications_user_event_source UNIQUE (user_id, event_id, source);
ALTER TABLE notifications DROP INDEX uk_notifications_event_id;
