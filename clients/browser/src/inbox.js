/** The client's view of a user's inbox: items, the ids already seen, the unread and unseen counts. No I/O. */

import { compareCursors, epochsAgree, isAfter } from './cursor.js';

/** A bounded set of ids: remembers the most recent `limit` ids, forgetting the oldest first. */
export class RecentIds {
  constructor(limit = 2000) {
    this.limit = limit;
    this.ids = new Set();
  }

  has(id) {
    return this.ids.has(id);
  }

  /** Adds `id`; false when it was already there. */
  add(id) {
    if (this.ids.has(id)) {
      return false;
    }
    this.ids.add(id);
    if (this.ids.size > this.limit) {
      this.ids.delete(this.ids.values().next().value);
    }
    return true;
  }

  get size() {
    return this.ids.size;
  }
}

/**
 * What makes an item one notification: its eventId from its source, and for a message of an inbox
 * channel (`channel` set) its channel too. An eventId is unique per recipient (or channel) and
 * sending service, so two services may send this user the same id for two notifications; a retry
 * of one comes from the same source with the same id.
 */
export function identityOf(item) {
  return `${item.channel ?? ''}\n${item.source ?? ''}\n${item.eventId}`;
}

/** Whether a read-state change naming `eventId` (of `channel`, or of the user's own when null) is about `item`. */
function names(item, eventId, channel) {
  return item.eventId === eventId && (item.channel ?? null) === (channel ?? null);
}

/**
 * Whether `a` goes above `b` in a list newest first. The user's own items are ordered by their
 * cursor (their stream's order); a message of an inbox channel has no position in that stream, so
 * against it the store's order applies: later accepted first, ties by channel name (own items last).
 */
function newerThan(a, b) {
  const order = compareCursors(a.cursor, b.cursor);
  if (!Number.isNaN(order)) {
    return order > 0;
  }
  const at = (Date.parse(a.acceptedAt) || 0) - (Date.parse(b.acceptedAt) || 0);
  return at !== 0 ? at > 0 : (a.channel ?? '') > (b.channel ?? '');
}

/** When `item` expires (ms since the epoch), or null when it never does or says so unreadably. */
export function expiryOf(item) {
  if (!item || typeof item.expiresAt !== 'string') {
    return null;
  }
  const at = Date.parse(item.expiresAt);
  return Number.isNaN(at) ? null : at;
}

/**
 * Items newest first by cursor (bounded), the unread count, and the identities seen, so that an event
 * shows once however many ways it arrives (inbox page, replay, live, gap fill). `countCursor` is
 * the position the server's unread count reflects: an item at or before it is already counted.
 */
export class Inbox {
  constructor({ maxItems = 200, maxIds = 2000 } = {}) {
    this.maxItems = maxItems;
    this.seen = new RecentIds(Math.max(maxIds, maxItems));
    this.list = [];
    this.unread = 0;
    /** Items not seen (item state `seen`, not the ids of `seen`): the badge of a feed not opened yet. */
    this.unseen = 0;
    this.countCursor = null;
    /** How many items are kept: `maxItems`, plus the items older pages added (the user asked for them). */
    this.cap = maxItems;
    /**
     * Whether items were dropped from the end since the last load: the list no longer reaches the
     * cursor an older page would be read before, so the next older page is found from the top.
     */
    this.trimmed = false;
    /** Counts loads: a page asked for before a load is not added after it. */
    this.generation = 0;
  }

  /**
   * Starts over from a page of the inbox (newest first) and the server's unread count. When the
   * count's own cursor is known and older than some unread page items, those are added to it.
   */
  load(items, unread, countCursor, unseen = 0) {
    this.list = [];
    this.cap = this.maxItems;
    this.trimmed = false;
    this.generation++;
    this.unread = Math.max(0, Number(unread) || 0);
    this.unseen = Math.max(0, Number(unseen) || 0);
    this.countCursor = countCursor ?? null;
    for (const item of [...items].reverse()) {
      this.seen.add(identityOf(item));
      if (!this.holds(item)) {
        this.insert(item);
      }
    }
  }

  /**
   * Like `load`, but keeps the items held that are after `pageCursor` (of the same epoch): those
   * arrived live after the page's position, and the store may not have them yet. Returns the page's
   * items whose ids had not been seen (new to this client), oldest first.
   */
  reload(items, unread, countCursor, pageCursor, unseenCount = 0) {
    const unseen = items.filter(item => !this.seen.has(identityOf(item))).reverse();
    const newer = this.list.filter(item => isAfter(item.cursor, pageCursor) && epochsAgree(item.cursor, pageCursor));
    this.load(items, unread, countCursor, unseenCount);
    for (const item of newer.reverse()) {
      if (!this.holds(item)) {
        this.insert(item);
      }
    }
    return unseen.map(item => this.list.find(held => identityOf(held) === identityOf(item)) || item);
  }

  /**
   * Adds the items of an older page (newest first) below those held, skipping any held already; the
   * store's unread count covers them, so it does not change. They are kept: `maxItems` grows by as
   * many. Returns copies of the items added, newest first.
   *
   * @param {Array<object>} items an inbox page's items, newest first
   * @returns {Array<object>} the items added
   */
  addOlder(items) {
    const added = [];
    for (const item of items) {
      if (!item || typeof item.eventId !== 'string' || this.holds(item)) {
        continue;
      }
      this.seen.add(identityOf(item));
      const copy = { ...item, read: Boolean(item.read), seen: Boolean(item.seen) };
      let at = this.list.length;
      while (at > 0 && newerThan(copy, this.list[at - 1])) {
        at--;
      }
      this.list.splice(at, 0, copy);
      added.push({ ...copy });
    }
    this.cap += added.length;
    return added;
  }

  /** The oldest item held, or null. */
  get oldest() {
    return this.list.length ? this.list[this.list.length - 1] : null;
  }

  /** Whether `item` goes below every item held (an older page's item that continues the list). */
  isOlderThanHeld(item) {
    const oldest = this.oldest;
    return oldest === null || newerThan(oldest, item);
  }

  holds(item) {
    return this.list.some(held => identityOf(held) === identityOf(item));
  }

  /**
   * Drops the items that have expired at `now` (ms): the store lists and counts them no more. Each
   * unread one comes off the count, as it comes off the store's. Returns the items dropped.
   *
   * @param {number} now
   * @returns {Array<object>}
   */
  expire(now) {
    const gone = [];
    this.list = this.list.filter(item => {
      const at = expiryOf(item);
      if (at === null || at > now) {
        return true;
      }
      gone.push({ ...item });
      if (!item.read) {
        this.unread = Math.max(0, this.unread - 1);
      }
      return false;
    });
    return gone;
  }

  /** The earliest expiry among the items held (ms), or null when none expires. */
  nextExpiry() {
    let next = null;
    for (const item of this.list) {
      const at = expiryOf(item);
      if (at !== null && (next === null || at < next)) {
        next = at;
      }
    }
    return next;
  }

  /** Adds a new item where its cursor puts it; false (and nothing changes) for an id already seen. */
  add(item) {
    if (!item || typeof item.eventId !== 'string' || !this.seen.add(identityOf(item))) {
      return false;
    }
    this.insert(item);
    return true;
  }

  insert(item) {
    const copy = { ...item, read: Boolean(item.read), seen: Boolean(item.seen) };
    // Newest first by cursor; live items are nearly always at index 0, gap fills go further down.
    let at = 0;
    while (at < this.list.length && newerThan(this.list[at], copy)) {
      at++;
    }
    this.list.splice(at, 0, copy);
    if (this.list.length > this.cap) {
      this.list.length = this.cap;
      this.trimmed = true;
    }
    if (!copy.read && !this.counted(copy)) {
      this.unread++;
    }
    if (!copy.seen && !this.counted(copy)) {
      this.unseen++;
    }
  }

  /**
   * Whether the server's count already includes the item: it is at or before the count's position.
   * A message of an inbox channel comes only from the store's pages, whose count covers it.
   */
  counted(item) {
    return Boolean(item.channel) || compareCursors(item.cursor, this.countCursor) <= 0;
  }

  /**
   * Applies a read-state change: `eventIds` (of inbox channel `channel`, or the user's own when it
   * is null) became read, or with `all` every item up to `cursor` and every inbox-channel item held.
   * Returns the ids that changed here and those this view does not hold (whose previous state it
   * cannot know, so the caller should re-read the count).
   */
  applyRead({ eventIds = [], all = false, cursor = null, channel = null } = {}) {
    const changed = [];
    const unknown = [];
    if (all) {
      let stillUnread = 0;
      for (const item of this.list) {
        if (item.read) {
          continue;
        }
        if (cursor === null || !(compareCursors(item.cursor, cursor) > 0)) {
          item.read = true;
          changed.push(item.eventId);
        }
        else {
          stillUnread++;
        }
      }
      this.unread = stillUnread;
      return { changed, unknown };
    }
    for (const id of eventIds) {
      const item = this.list.find(candidate => names(candidate, id, channel));
      if (!item) {
        unknown.push(id);
      }
      else if (!item.read) {
        item.read = true;
        this.unread = Math.max(0, this.unread - 1);
        changed.push(id);
      }
    }
    return { changed, unknown };
  }

  /**
   * Applies a seen change (item state, issue 17) as `applyRead` applies a read: `eventIds` (of
   * `channel`, or the user's own) were seen, or with `all` every item up to `cursor` and every
   * inbox-channel item held. Returns the ids that changed here and those not held.
   */
  applySeen({ eventIds = [], all = false, cursor = null, channel = null } = {}) {
    const changed = [];
    const unknown = [];
    if (all) {
      let stillUnseen = 0;
      for (const item of this.list) {
        if (item.seen) {
          continue;
        }
        if (cursor === null || !(compareCursors(item.cursor, cursor) > 0)) {
          item.seen = true;
          changed.push(item.eventId);
        }
        else {
          stillUnseen++;
        }
      }
      this.unseen = stillUnseen;
      return { changed, unknown };
    }
    for (const id of eventIds) {
      const item = this.list.find(candidate => names(candidate, id, channel));
      if (!item) {
        unknown.push(id);
      }
      else if (!item.seen) {
        item.seen = true;
        this.unseen = Math.max(0, this.unseen - 1);
        changed.push(id);
      }
    }
    return { changed, unknown };
  }

  /**
   * Applies an archive: the items leave the list (the store's default list hides archived items)
   * and, when unread or unseen, those counts (archived items count as neither). With `all`, every
   * item up to `cursor` and every inbox-channel item held goes, only the read ones when `scope` is
   * `read`. Returns the ids removed here and those not held.
   */
  applyArchive({ eventIds = [], all = false, scope = 'all', cursor = null, channel = null } = {}) {
    const changed = [];
    const unknown = [];
    const covers = item => all
      ? (cursor === null || !(compareCursors(item.cursor, cursor) > 0)) && (scope !== 'read' || item.read)
      : false;
    const remove = item => {
      this.list.splice(this.list.indexOf(item), 1);
      if (!item.read) {
        this.unread = Math.max(0, this.unread - 1);
      }
      if (!item.seen) {
        this.unseen = Math.max(0, this.unseen - 1);
      }
      changed.push(item.eventId);
    };
    if (all) {
      this.list.filter(covers).forEach(remove);
      return { changed, unknown };
    }
    for (const id of eventIds) {
      const item = this.list.find(candidate => names(candidate, id, channel));
      if (item) {
        remove(item);
      }
      else {
        unknown.push(id);
      }
    }
    return { changed, unknown };
  }

  /**
   * Takes read and seen flags from a fresh page and the counts from the server, keeping the items
   * held (but those the page's range no longer lists). Unread (unseen) items held past the count's
   * position (live ones the store has not applied yet) are added to it.
   */
  refresh(items, unread, countCursor, unseen = 0, pageCursor = null) {
    const byId = new Map(items.map(item => [identityOf(item), item]));
    // An own item held within the page's range but not in it left the default list meanwhile
    // (archived in another tab while this one missed the frame): it goes here too.
    const oldest = [...items].reverse().find(item => item.cursor)?.cursor ?? null;
    if (oldest !== null && pageCursor !== null) {
      this.list = this.list.filter(item => byId.has(identityOf(item)) || !item.cursor
          || !(compareCursors(item.cursor, oldest) >= 0 && compareCursors(item.cursor, pageCursor) <= 0));
    }
    for (const item of this.list) {
      const fresh = byId.get(identityOf(item));
      if (fresh) {
        item.read = Boolean(fresh.read);
        item.seen = Boolean(fresh.seen);
      }
    }
    this.countCursor = countCursor ?? this.countCursor;
    this.unread = Math.max(0, Number(unread) || 0)
        + this.list.filter(item => !item.read && isAfter(item.cursor, this.countCursor)).length;
    this.unseen = Math.max(0, Number(unseen) || 0)
        + this.list.filter(item => !item.seen && isAfter(item.cursor, this.countCursor)).length;
  }

  get items() {
    return this.list.map(item => ({ ...item }));
  }
}
