-- Type prefixes (type:order.*) are read as ranges of the exact type keys from V11 on (FilterKeys):
-- a prefix's page walks the key rows from 'type:order.' up to 'type:order/', its count sums the
-- counters of that range. So a notification has one key row and one counter per exact type and tag,
-- not one more per '.' of its type; the prefix rows V10_1 and the writer kept until now go.
DELETE FROM notification_keys WHERE counter_key LIKE 'type:%.*';
DELETE FROM inbox_counts WHERE counter_key LIKE 'type:%.*';
