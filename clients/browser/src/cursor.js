/**
 * Cursors: positions in a user's stream, `<partition>-<offset>[@<epoch>]` (e.g. "7-10452@Xk3fQ9aB";
 * "7--1" is before the first record). The epoch names one incarnation of the topic; cursors written
 * before epochs existed have none. The SDK keeps and sends the string it was given, never one it
 * made up: it orders cursors by partition and offset only, and uses the epoch just to tell that
 * the topic was recreated.
 */

const CURSOR = /^(\d{1,9})-(-1|\d{1,18})(?:@([A-Za-z0-9_-]{1,22}))?$/;

/**
 * `"7-10452@Xk3fQ9aB"` → `{ partition: 7, offset: 10452, epoch: 'Xk3fQ9aB' }` (no `epoch` key when
 * the cursor has none), or null when it is not a cursor.
 */
export function parseCursor(text) {
  const match = typeof text === 'string' ? CURSOR.exec(text) : null;
  if (!match) {
    return null;
  }
  const cursor = { partition: Number(match[1]), offset: Number(match[2]) };
  if (match[3] !== undefined) {
    cursor.epoch = match[3];
  }
  return cursor;
}

/**
 * Orders two cursors of one partition by offset: negative, zero or positive like a comparator.
 * Cursors of different partitions (or unparsable ones) are not comparable: NaN. Epochs are ignored.
 */
export function compareCursors(a, b) {
  const x = parseCursor(a);
  const y = parseCursor(b);
  if (!x || !y || x.partition !== y.partition) {
    return NaN;
  }
  return Math.sign(x.offset - y.offset);
}

/** Whether `cursor` is strictly after `other` in the same partition. */
export function isAfter(cursor, other) {
  return compareCursors(cursor, other) > 0;
}

/** Whether `cursor` is at or after `other` in the same partition (false when not comparable). */
export function hasReached(cursor, other) {
  return compareCursors(cursor, other) >= 0;
}

/** False only when both cursors carry an epoch and the epochs differ: of two incarnations of the topic. */
export function epochsAgree(a, b) {
  const x = parseCursor(a)?.epoch;
  const y = parseCursor(b)?.epoch;
  return x === undefined || y === undefined || x === y;
}

/**
 * The cursor to keep after seeing `candidate`, the newer of the two (the caller passes the one it
 * saw last as `candidate`): the later position; at the same position the one with an epoch. A
 * cursor of another partition or of another epoch replaces the current one, as the server's latest
 * word wins: the partition count changed or the topic was recreated, so offsets started over.
 */
export function laterCursor(current, candidate) {
  if (!parseCursor(candidate)) {
    return current ?? null;
  }
  if (!parseCursor(current) || !epochsAgree(current, candidate)) {
    return candidate;
  }
  const order = compareCursors(candidate, current);
  if (order === 0) {
    return parseCursor(current).epoch === undefined ? candidate : current;
  }
  return Number.isNaN(order) || order > 0 ? candidate : current;
}
