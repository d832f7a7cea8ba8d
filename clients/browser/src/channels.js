/**
 * Channel subscriptions on the user's session: `subscribe`/`unsubscribe` frames, each channel's
 * own cursor, replay adoption, resubscription after every reconnect, and gaps filled from the
 * store. Channel cursors are positions in the channel topic; they have nothing to do with the
 * user stream's cursor, and each channel keeps its own.
 *
 * Invariants, per channel:
 * - `cursor` only moves to positions whose messages were handed out, or that a pending gap covers,
 *   so a resubscribe `since` it loses nothing. A `subscribed` frame's cursor also covers the
 *   `replay` message frames that follow it, so it is adopted only once they are all here.
 * - A message is handed out once: the event ids seen last (`maxIds`) are dropped, whichever way
 *   they come again (a replay after a reconnect, a gap fill overlapping live delivery).
 * - Push never waits for the store: live messages are handed out at once, and a gap's messages
 *   (cursor order among themselves, marked `filled: true`) follow when the store has them.
 * - Frames of a subscription this client has given up (an `unsubscribe` the gateway has not
 *   confirmed yet) are ignored, so that a new subscription to the channel never takes them.
 */

import { compareCursors, epochsAgree, hasReached, isAfter, laterCursor, parseCursor } from './cursor.js';
import { identityOf, RecentIds } from './inbox.js';
import { HeraldError, backoffDelay } from './connection.js';

/** What a subscription can be in; each change is a `subscription` event. */
export const SubscriptionStates = Object.freeze({
  /** Waiting for an open session (before start(), while reconnecting). */
  PENDING: 'pending',
  /** `subscribe` sent, no answer yet. */
  SUBSCRIBING: 'subscribing',
  /** The gateway serves it: replay, then live messages. */
  SUBSCRIBED: 'subscribed',
  /** The gateway cannot serve channels yet (`channels-unavailable`): subscribing again after a back-off. */
  RETRYING: 'retrying',
  /** Final: the gateway refused it (`error.code` says why). */
  REFUSED: 'refused',
  /** Final: the gateway ended it (`reason`), e.g. a refreshed token no longer grants the channel. */
  ENDED: 'ended',
  /** Final: the caller's last unsubscribe() for the channel. */
  UNSUBSCRIBED: 'unsubscribed',
});

/** The one refusal that is not final: the gateway is still starting. */
const RETRIABLE = 'channels-unavailable';
/** The most a gap-fill request asks for (the store's largest page). */
const GAP_PAGE = 200;

/**
 * The subscriptions of one `Herald`. `host` supplies `send(frame)` (false when no session is open),
 * `http(method, url)` (authenticated REST, throws HeraldError with `status` and `fatal`), `run()`
 * (the connection's run: work of an ended run stops) and `emit(event, value)`.
 */
export class Channels {
  constructor(host, { storeUrl, pageSize = 50, maxIds = 1000, setTimeout, clearTimeout, random, backoff }) {
    this.host = host;
    this.storeUrl = storeUrl;
    this.pageSize = pageSize;
    this.maxIds = maxIds;
    this.setTimer = setTimeout;
    this.clearTimer = clearTimeout;
    this.random = random;
    this.backoff = backoff;
    /** channel → subscription; one per channel, however many handlers. */
    this.subs = new Map();
    /** channel → how many `unsubscribe` frames the gateway has not confirmed on this socket. */
    this.unsubscribing = new Map();
  }

  /**
   * Hands `handler` every message of `channel`, from `since` (a channel cursor) or from now on.
   * A second subscribe to a channel already subscribed shares its subscription: that handler gets
   * the messages from then on (its `since` is not used). Returns the function that removes this
   * handler; removing the last one unsubscribes.
   */
  subscribe(channel, handler, since = null) {
    if (typeof channel !== 'string' || channel === '') {
      throw new TypeError('subscribe needs a channel name');
    }
    if (typeof handler !== 'function') {
      throw new TypeError('subscribe needs a handler function');
    }
    let sub = this.subs.get(channel);
    if (!sub) {
      sub = {
        channel,
        handlers: new Set(),
        state: null,
        cursor: since ?? null,
        opening: null, // the `subscribed` whose cursor waits for its replay: { cursor, remaining }
        seen: new RecentIds(this.maxIds),
        attempt: 0,
        retryTimer: null,
        gap: null, // (from, to] to read from the store: { from, to, after, reload }
        gapAttempt: 0,
        gapTimer: null,
        gapWake: null,
        gapRun: null,
      };
      this.subs.set(channel, sub);
      this.sendSubscribe(sub);
    }
    const entry = { handler }; // the same function subscribed twice is two entries
    sub.handlers.add(entry);
    return () => this.removeHandler(sub, entry);
  }

  /** The subscriptions held: `{ channel, state, cursor, filling }` (filling: a gap is being read). */
  get list() {
    return [...this.subs.values()].map(sub => ({
      channel: sub.channel, state: sub.state, cursor: sub.cursor, filling: sub.gap !== null,
    }));
  }

  // --- the session ---

  /** The session is open (welcome): every subscription not yet sent on it is sent now. */
  onOpen() {
    for (const sub of this.subs.values()) {
      if (sub.state === SubscriptionStates.PENDING) {
        this.sendSubscribe(sub);
      }
    }
  }

  /** The socket is gone: the gateway forgot every subscription; each waits for the next session. */
  onDisconnect() {
    this.unsubscribing.clear();
    for (const sub of this.subs.values()) {
      this.cancelRetry(sub);
      sub.opening = null;
      if (sub.state !== SubscriptionStates.PENDING) {
        this.setState(sub, SubscriptionStates.PENDING);
      }
    }
  }

  /** Restarts the gap fills a stop() interrupted (start() calls it). */
  resume() {
    const run = this.host.run();
    for (const sub of this.subs.values()) {
      if (sub.gap) {
        this.fill(sub, run);
      }
    }
  }

  /** Ends the timers and the fills' pauses; the subscriptions, their cursors and gaps stay. */
  stop() {
    for (const sub of this.subs.values()) {
      this.cancelRetry(sub);
      this.cancelGapPause(sub);
    }
  }

  /**
   * A frame naming a channel: `subscribed`, `message`, `resync`, `unsubscribed` or `error`. The
   * gateway answers a session's frames in order, so until an `unsubscribe` is confirmed every
   * frame of its channel belongs to the subscription it ended.
   */
  onFrame(frame) {
    const channel = frame.channel;
    if (typeof channel !== 'string') {
      return;
    }
    const unconfirmed = this.unsubscribing.get(channel) || 0;
    if (frame.type === 'unsubscribed' && unconfirmed > 0) {
      if (unconfirmed === 1) {
        this.unsubscribing.delete(channel);
      }
      else {
        this.unsubscribing.set(channel, unconfirmed - 1);
      }
      return;
    }
    const sub = this.subs.get(channel);
    if (unconfirmed > 0 || !sub) {
      return;
    }
    switch (frame.type) {
      case 'subscribed':
        if (sub.state === SubscriptionStates.SUBSCRIBING) {
          this.onSubscribed(sub, frame);
        }
        break;
      case 'message':
        if (sub.state === SubscriptionStates.SUBSCRIBED) {
          this.onMessage(sub, frame);
        }
        break;
      case 'resync':
        if (sub.state === SubscriptionStates.SUBSCRIBING) {
          this.onResync(sub, frame); // comes right before its `subscribed`
        }
        break;
      case 'error':
        if (sub.state === SubscriptionStates.SUBSCRIBING) {
          this.onRefused(sub, frame);
        }
        break;
      case 'unsubscribed':
        this.drop(sub);
        this.setState(sub, SubscriptionStates.ENDED, { reason: frame.reason ?? null });
        break;
      default:
        break;
    }
  }

  // --- subscribing ---

  sendSubscribe(sub) {
    // `since` is left out when there is no cursor yet: "from now on".
    const sent = this.host.send({ type: 'subscribe', channel: sub.channel, since: sub.cursor ?? undefined });
    this.setState(sub, sent ? SubscriptionStates.SUBSCRIBING : SubscriptionStates.PENDING);
  }

  onSubscribed(sub, frame) {
    sub.attempt = 0;
    sub.opening = null;
    const remaining = Number.isInteger(frame.replay) && frame.replay > 0 ? frame.replay : 0;
    if (parseCursor(frame.cursor)) {
      sub.opening = { cursor: frame.cursor, remaining };
      if (remaining === 0) {
        this.adoptOpening(sub);
      }
    }
    this.setState(sub, SubscriptionStates.SUBSCRIBED);
  }

  adoptOpening(sub) {
    if (sub.opening) {
      sub.cursor = laterCursor(sub.cursor, sub.opening.cursor);
      sub.opening = null;
    }
  }

  onMessage(sub, frame) {
    sub.cursor = laterCursor(sub.cursor, frame.cursor);
    if (frame.event) {
      this.deliver(sub, [{ ...frame.event, cursor: frame.cursor }], false);
    }
    if (sub.opening && --sub.opening.remaining <= 0) {
      this.adoptOpening(sub);
    }
  }

  onRefused(sub, frame) {
    const error = new HeraldError(`${sub.channel}: ${frame.message || frame.code}`, { code: frame.code });
    if (frame.code === RETRIABLE) {
      this.setState(sub, SubscriptionStates.RETRYING, { error });
      this.cancelRetry(sub);
      sub.retryTimer = this.setTimer(() => {
        sub.retryTimer = null;
        if (this.subs.get(sub.channel) === sub && sub.state === SubscriptionStates.RETRYING) {
          this.sendSubscribe(sub);
        }
      }, backoffDelay(sub.attempt++, this.backoff, this.random));
      return;
    }
    // Any other code (those of today and ones this version does not know) is final.
    this.drop(sub);
    this.setState(sub, SubscriptionStates.REFUSED, { error });
  }

  removeHandler(sub, entry) {
    if (!sub.handlers.delete(entry) || sub.handlers.size > 0 || this.subs.get(sub.channel) !== sub) {
      return;
    }
    const sentOnThisSocket = sub.state === SubscriptionStates.SUBSCRIBING || sub.state === SubscriptionStates.SUBSCRIBED;
    this.drop(sub);
    if (sentOnThisSocket && this.host.send({ type: 'unsubscribe', channel: sub.channel })) {
      this.unsubscribing.set(sub.channel, (this.unsubscribing.get(sub.channel) || 0) + 1);
    }
    this.setState(sub, SubscriptionStates.UNSUBSCRIBED);
  }

  /** Forgets a subscription for good: no more handlers, timers or gap fill. */
  drop(sub) {
    if (this.subs.get(sub.channel) === sub) {
      this.subs.delete(sub.channel);
    }
    sub.handlers.clear();
    sub.gap = null;
    sub.opening = null;
    this.cancelRetry(sub);
    this.cancelGapPause(sub);
  }

  setState(sub, state, extra = {}) {
    sub.state = state;
    this.host.emit('subscription', { channel: sub.channel, state, error: null, ...extra });
  }

  /** Hands each message not seen yet to every handler, in the order given. */
  deliver(sub, items, filled) {
    for (const item of items) {
      if (this.subs.get(sub.channel) !== sub) {
        return; // a handler unsubscribed
      }
      if (!item || typeof item.eventId !== 'string' || !sub.seen.add(identityOf(item))) {
        continue;
      }
      const message = {
        channel: sub.channel,
        cursor: item.cursor,
        eventId: item.eventId,
        type: item.type,
        title: item.title,
        body: item.body ?? '',
        data: item.data ?? null,
        occurredAt: item.occurredAt,
        acceptedAt: item.acceptedAt,
        source: item.source,
        filled,
      };
      for (const entry of [...sub.handlers]) {
        try {
          entry.handler({ ...message });
        }
        catch (error) {
          setTimeout(() => { throw error; }, 0); // a handler's error must not break the SDK
        }
      }
    }
  }

  // --- gaps ---

  /**
   * The gateway cannot replay (from, to] of the channel: it is read from the store in the
   * background while the subscription goes on. The cursor moves to `to` at once, as the gap is kept
   * until filled, across reconnects: a resubscribe resumes where the gateway can. `from` null (the
   * cursor cannot be trusted) reads the channel's newest page first, then fills after it.
   */
  onResync(sub, frame) {
    const to = parseCursor(frame.to) ? frame.to : null;
    if (to === null) {
      return;
    }
    let from = parseCursor(frame.from) ? frame.from : null;
    if (from !== null && !(compareCursors(from, to) <= 0 && epochsAgree(from, to))) {
      from = null; // of another partition or epoch than `to`: nothing to read it after
    }
    sub.cursor = from === null ? to : laterCursor(sub.cursor, to);
    const gap = sub.gap;
    const joins = gap !== null && from !== null && !Number.isNaN(compareCursors(gap.to, to)) && epochsAgree(gap.to, to);
    if (joins) {
      if (isAfter(to, gap.to)) {
        gap.to = to;
      }
      if (isAfter(gap.from, from)) {
        gap.from = from;
      }
      if (gap.after !== null && isAfter(gap.after, from)) {
        gap.after = from;
      }
    }
    else {
      if (!gap) {
        sub.gapAttempt = 0;
      }
      sub.gap = { from, to, after: from, reload: from === null };
    }
    this.host.emit('channel-gap', { channel: sub.channel, from: sub.gap.from, to: sub.gap.to, filled: false });
    this.fill(sub, this.host.run());
  }

  /**
   * Reads the subscription's gap from the store until an answer's cursor reaches its end, backing
   * off while the store lags the gateway. One loop per subscription and run. A 401 or 403 gives
   * the gap up (reported); anything else is tried again.
   */
  async fill(sub, run) {
    if (sub.gapRun === run || run !== this.host.run()) {
      return;
    }
    sub.gapRun = run;
    const current = () => run === this.host.run() && this.subs.get(sub.channel) === sub;
    try {
      while (sub.gap && current()) {
        const gap = sub.gap;
        try {
          const cursor = await this.readGap(sub, gap, current);
          if (sub.gap !== gap) {
            continue;
          }
          if (cursor === null || !hasReached(cursor, gap.to)) {
            await this.gapPause(sub); // the store has not got that far yet
            continue;
          }
          sub.gap = null;
          sub.gapAttempt = 0;
          this.host.emit('channel-gap', { channel: sub.channel, from: gap.from, to: gap.to, filled: true });
        }
        catch (error) {
          if (!current()) {
            break;
          }
          if (error.status === 400 && !gap.reload) {
            // The store says the cursor is not of this channel's stream (the partitions changed).
            gap.reload = true;
            gap.after = null;
            continue;
          }
          if (error.fatal) {
            sub.gap = null;
            this.host.emit('channel-gap', { channel: sub.channel, from: gap.from, to: gap.to, filled: false, error });
            break;
          }
          await this.gapPause(sub);
        }
      }
    }
    finally {
      if (sub.gapRun === run) {
        sub.gapRun = null;
      }
    }
  }

  /**
   * One pass over the gap: the newest page first when the start is unknown, then the pages after
   * `gap.after`, oldest first. Only messages up to `gap.to` are handed out: later ones are the
   * subscription's own (replay, live). Returns the store's cursor once everything up to it has been
   * read, or null when the pass ended early.
   */
  async readGap(sub, gap, current) {
    const base = `${this.storeUrl}/v1/channels/${encodeURIComponent(sub.channel)}/messages`;
    const upToGap = items => (items || []).filter(item => !isAfter(item?.cursor, gap.to));
    if (gap.reload) {
      const page = await this.host.http('GET', `${base}?limit=${this.pageSize}`);
      if (!current() || sub.gap !== gap) {
        return null;
      }
      if (!parseCursor(page.cursor)) {
        throw new HeraldError('the store gave no channel cursor');
      }
      this.deliver(sub, upToGap(page.items).reverse(), true); // the newest page is newest first
      gap.after = page.cursor;
      gap.reload = false;
    }
    for (let pages = 0; pages < 1000; pages++) {
      const page = await this.host.http('GET', `${base}?after=${encodeURIComponent(gap.after)}&limit=${GAP_PAGE}`);
      if (!current() || sub.gap !== gap) {
        return null;
      }
      this.deliver(sub, upToGap(page.items), true);
      if (!page.next) {
        // Only the last page's cursor says that everything up to it was read.
        const cursor = parseCursor(page.cursor) ? page.cursor : null;
        if (isAfter(cursor, gap.after)) {
          gap.after = cursor;
        }
        return cursor;
      }
      gap.after = page.next;
    }
    return null;
  }

  /** The back-off before the next look at a gap; stop() and an unsubscribe end it early. */
  gapPause(sub) {
    return new Promise(resolve => {
      sub.gapWake = resolve;
      sub.gapTimer = this.setTimer(() => {
        sub.gapTimer = null;
        sub.gapWake = null;
        resolve();
      }, backoffDelay(sub.gapAttempt++, this.backoff, this.random));
    });
  }

  cancelGapPause(sub) {
    if (sub.gapTimer) {
      this.clearTimer(sub.gapTimer);
      sub.gapTimer = null;
    }
    const wake = sub.gapWake;
    sub.gapWake = null;
    wake?.();
  }

  cancelRetry(sub) {
    if (sub.retryTimer) {
      this.clearTimer(sub.retryTimer);
      sub.retryTimer = null;
    }
  }
}
