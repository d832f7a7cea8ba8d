/**
 * What the page has displayed to the user, reported to the gateway as `seen` frames
 * (`{"type":"seen","eventIds":[...]}`), which it turns into `seen` receipts on `herald.receipts`:
 * the evidence the store's receipt tracker needs not to alert "unseen". A receipt is not read
 * state (that is `markRead`). Ids are coalesced for `delayMs`, sent at most `MAX_SEEN_IDS` per
 * frame, each once; those that cannot be sent now (no open session) wait for the next one.
 */

import { RecentIds } from './inbox.js';

/** The most ids one `seen` frame may carry (the gateway closes a session that sends more). */
export const MAX_SEEN_IDS = 100;

/** What the gateway accepts as an eventId; anything else is never sent (it would close the session). */
const EVENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export class Shown {
  /**
   * @param {{ send: (frame: object) => boolean }} host `send` is false when no session is open
   * @param {{ setTimeout: (fn: () => void, ms: number) => any, clearTimeout: (id: any) => void,
   *   delayMs?: number, maxPending?: number }} options
   */
  constructor(host, options) {
    this.host = host;
    this.setTimer = options.setTimeout;
    this.clearTimer = options.clearTimeout;
    this.delayMs = options.delayMs ?? 100;
    this.maxPending = options.maxPending ?? 1000;
    /** @type {Set<string>} ids waiting to be sent, oldest first */
    this.pending = new Set();
    this.reported = new RecentIds(5000);
    this.timer = null;
  }

  /** @param {string|string[]} eventIds */
  add(eventIds) {
    for (const id of Array.isArray(eventIds) ? eventIds : [eventIds]) {
      if (typeof id !== 'string' || !EVENT_ID.test(id) || this.reported.has(id) || this.pending.has(id)) {
        continue;
      }
      this.pending.add(id);
      if (this.pending.size > this.maxPending) {
        this.pending.delete(this.pending.values().next().value);
      }
    }
    if (this.pending.size > 0 && this.timer === null) {
      this.timer = this.setTimer(() => {
        this.timer = null;
        this.flush();
      }, this.delayMs);
    }
  }

  /** Sends what is pending, if a session is open; otherwise it waits for `onOpen`. */
  flush() {
    while (this.pending.size > 0) {
      const batch = [...this.pending].slice(0, MAX_SEEN_IDS);
      if (!this.host.send({ type: 'seen', eventIds: batch })) {
        return;
      }
      for (const id of batch) {
        this.pending.delete(id);
        this.reported.add(id);
      }
    }
  }

  /** A session opened (first connect or reconnect): what waited goes now. */
  onOpen() {
    this.flush();
  }

  cancel() {
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
  }
}
