/**
 * Herald browser SDK: a user's inbox and live notifications, and channel subscriptions, with no
 * gap and no duplicate across reconnects. Native ES modules with no dependencies and no build
 * step: this facade, `cursor.js` (positions), `inbox.js` (the items and the count),
 * `connection.js` (the socket's lifecycle) and `channels.js` (subscriptions on the session).
 *
 *   import { Herald } from './herald.js';
 *   const herald = new Herald({ storeUrl, gatewayUrl, token, getToken });
 *   herald.on('notification', item => ...);   // a new item (also for items filled in after a resync)
 *   herald.on('read', ({ eventIds, all, channel }) => ...);
 *   herald.on('unread', count => ...);
 *   herald.on('unseen', count => ...);        // items not seen yet (a badge until the feed is opened)
 *   herald.on('seen', ({ eventIds, all, channel }) => ...);            // item states, from every tab
 *   herald.on('archived', ({ eventIds, all, scope, channel }) => ...); // archived items leave `items`
 *   herald.on('unarchived', ({ eventIds, channel }) => ...);
 *   herald.on('items', items => ...);         // the list changed (newest first)
 *   herald.on('expired', items => ...);       // these items expired (expiresAt) and left the list and count
 *   herald.on('action', ({ item, action }) => ...); // herald.act(item, id) performed a named action
 *   herald.on('state', ({ state, error }) => ...);  // connecting | open | reconnecting | closed | error
 *   herald.on('gap', ({ from, to, filled }) => ...); // a resync's gap, and when the inbox filled it
 *   const unsubscribe = herald.subscribe('order:42', message => ...); // a channel's messages
 *   herald.on('subscription', ({ channel, state, error, reason }) => ...);
 *   herald.on('channel-gap', ({ channel, from, to, filled, error }) => ...);
 *   await herald.start();                     // resolves once the inbox is loaded
 *   await herald.markRead(eventId); await herald.markAllRead(); herald.stop();
 *   await herald.markSeen([eventId]); await herald.markAllSeen();
 *   await herald.archive(eventId); await herald.unarchive(eventId); await herald.archiveAllRead();
 *   herald.markShown([eventId]);              // displayed to the user: a `seen` receipt (not read state)
 *   const { rules } = await herald.getPreferences();
 *   await herald.setPreferences([{ type: 'marketing.*', mute: true }]); // the whole set
 *
 * How it keeps "no gap, no duplicate on reconnect": the inbox is loaded over REST first
 * and the socket resumes from the cursor that response gave; afterwards the cursor only moves to
 * positions whose events the SDK has seen, or that a pending gap covers. A `resync` names a gap
 * (from, to] that is read from the inbox in the background while the socket goes on live. Event ids
 * already seen are dropped.
 */

import { compareCursors, epochsAgree, hasReached, isAfter, laterCursor, parseCursor } from './cursor.js';
import { Inbox, expiryOf, identityOf } from './inbox.js';
import { Connection, HeraldError, States, backoffDelay } from './connection.js';
import { Channels } from './channels.js';
import { Shown } from './shown.js';

export { compareCursors, epochsAgree, hasReached, isAfter, laterCursor, parseCursor } from './cursor.js';
export { Inbox, RecentIds } from './inbox.js';
export {
  CloseCodes, Connection, HeraldError, States, Transitions, backoffDelay, routeRetryDelay, tokenExpiry,
} from './connection.js';
export { Channels, SubscriptionStates } from './channels.js';
export { MAX_SEEN_IDS, Shown } from './shown.js';
export { PROTOCOL_VERSION, SDK_AGENT, SDK_NAME, SDK_VERSION } from './version.js';

/** The most a gap-fill request asks for (the store's largest page). */
const GAP_PAGE = 200;

/**
 * @typedef {object} HeraldOptions
 * @property {string} storeUrl notification-store's base URL
 * @property {string} gatewayUrl any push gateway's HTTP base URL (it answers /v1/route)
 * @property {string} [token] a user token; `token` and/or `getToken` is required
 * @property {() => Promise<string>} [getToken] returns a fresh user token (on 401, 4003, and before expiry)
 * @property {number} [pageSize] items loaded at start and per older page (50)
 * @property {number} [maxItems] items kept (200; older pages asked for are kept beyond it)
 * @property {number} [backoffBaseMs] reconnect back-off base (500)
 * @property {number} [backoffMaxMs] reconnect back-off cap (30000)
 * @property {number} [routeRetryBaseMs] the wait while /v1/route answers 503 (300)
 * @property {number} [routeRetryMaxMs] its cap (1000)
 * @property {typeof globalThis.fetch} [fetch] for tests
 * @property {typeof globalThis.WebSocket} [WebSocket] for tests
 * @property {(fn: () => void, ms: number) => any} [setTimeout] for tests
 * @property {(id: any) => void} [clearTimeout] for tests
 * @property {() => number} [random] for tests
 * @property {number} [shownDelayMs] how long `markShown` ids are gathered before a `seen` frame goes (100)
 * @property {() => number} [now] for tests
 * @property {(message: string) => void} [log] where a refused state transition is reported (console.warn)
 */

/**
 * @typedef {object} PreferenceRule
 * @property {string} type `*`, a type (`order.shipped`) or a type followed by `.*` (`marketing.*`)
 * @property {boolean} mute true mutes what it matches, false allows it
 */

/**
 * @typedef {object} PreferenceSet
 * @property {PreferenceRule[]} rules
 * @property {string|null} cursor the position of the event that set them
 * @property {string|null} updatedAt
 */

/**
 * A user's live inbox: the items, the unread count, live notifications, channel subscriptions.
 */
export class Herald {
  /** @param {HeraldOptions} options */
  constructor(options = /** @type {HeraldOptions} */ ({})) {
    if (!options.storeUrl || !options.gatewayUrl) {
      throw new TypeError('Herald needs storeUrl and gatewayUrl');
    }
    if (!options.token && typeof options.getToken !== 'function') {
      throw new TypeError('Herald needs a token or a getToken function');
    }
    this.storeUrl = String(options.storeUrl).replace(/\/+$/, '');
    this.token = options.token || null;
    this.getToken = options.getToken || null;
    this.fetchImpl = options.fetch || ((...args) => globalThis.fetch(...args));
    this.setTimer = options.setTimeout || ((fn, ms) => globalThis.setTimeout(fn, ms));
    this.clearTimer = options.clearTimeout || (id => globalThis.clearTimeout(id));
    this.random = options.random || Math.random;
    this.backoff = { baseMs: options.backoffBaseMs ?? 500, maxMs: options.backoffMaxMs ?? 30_000 };
    this.routeRetry = { baseMs: options.routeRetryBaseMs ?? 300, maxMs: options.routeRetryMaxMs ?? 1000 };
    this.pageSize = options.pageSize ?? 50;
    this.inbox = new Inbox({ maxItems: options.maxItems ?? 200 });
    this.listeners = new Map();
    /** Where the socket resumes: every event up to it has been seen, or is in the pending gap. */
    this.cursor = null;
    /** The welcome whose cursor waits for its replay: { cursor, remaining } (remaining null: unknown). */
    this.welcome = null;
    /** The gap a resync named, until the inbox has filled it: { from, to, after, reload, legacy }. */
    this.gap = null;
    this.gapAttempt = 0;
    this.gapTimer = null;
    this.gapWake = null;
    this.gapRun = null;
    this.countTimer = null;
    this.reloadTimer = null;
    /** Fires when the next held item expires: { at, id }. */
    this.expiryTimer = null;
    this.now = options.now || (() => Date.now());
    this.tokenRequest = null;
    /** The `before=` of the next older inbox page (the last page's `next`); null: none older. */
    this.older = null;
    /** The older page being read, shared by concurrent loadOlder() calls. */
    this.olderRequest = null;
    this.connection = new Connection({
      http: (method, url) => this.http(method, url),
      token: () => this.currentToken(),
      tokenValue: () => this.token,
      canRenewToken: () => Boolean(this.getToken),
      renewToken: stale => this.refreshToken(stale),
      since: () => this.cursor,
      onFrame: frame => this.onFrame(frame),
      onOpen: () => {
        this.channels.onOpen();
        this.shown.onOpen();
      },
      onDisconnect: () => {
        this.welcome = null;
        this.channels.onDisconnect();
      },
      onState: change => this.onState(change),
    }, {
      gatewayUrl: String(options.gatewayUrl).replace(/\/+$/, ''),
      WebSocket: options.WebSocket || globalThis.WebSocket,
      setTimeout: this.setTimer,
      clearTimeout: this.clearTimer,
      random: this.random,
      now: options.now || (() => Date.now()),
      backoff: this.backoff,
      routeRetry: this.routeRetry,
      log: options.log || (message => console.warn(message)),
    });
    this.shown = new Shown({ send: frame => this.connection.send(frame) },
      { setTimeout: this.setTimer, clearTimeout: this.clearTimer, delayMs: options.shownDelayMs });
    this.channels = new Channels({
      send: frame => this.connection.send(frame),
      http: (method, url) => this.http(method, url),
      run: () => this.connection.run,
      emit: (event, value) => this.emit(event, value),
    }, {
      storeUrl: this.storeUrl,
      pageSize: this.pageSize,
      setTimeout: this.setTimer,
      clearTimeout: this.clearTimer,
      random: this.random,
      backoff: this.backoff,
    });
  }

  /**
   * Listens to 'notification', 'read', 'unread', 'unseen', 'seen', 'archived', 'unarchived', 'items',
   * 'state', 'gap', 'subscription' or 'channel-gap'; returns the function that stops listening.
   */
  on(event, callback) {
    if (!this.listeners.has(event)) {
      this.listeners.set(event, new Set());
    }
    this.listeners.get(event).add(callback);
    return () => this.off(event, callback);
  }

  off(event, callback) {
    this.listeners.get(event)?.delete(callback);
  }

  get unreadCount() {
    return this.inbox.unread;
  }

  /** Items not seen yet (archived ones left out), e.g. for a badge until the feed is opened. */
  get unseenCount() {
    return this.inbox.unseen;
  }

  /** The items held, newest first (copies). */
  get items() {
    return this.inbox.items;
  }

  get state() {
    return this.connection.state;
  }

  get error() {
    return this.connection.error;
  }

  /** The URL of the gateway this client is connected to, while open. */
  get connectedUrl() {
    return this.connection.url;
  }

  /** The cursor the socket resumes from (events in a pending gap may still be missing). */
  get position() {
    return this.cursor;
  }

  /** How many gaps wait to be filled from the inbox: 0 or 1 (a later resync widens the pending one). */
  get gaps() {
    return this.gap ? 1 : 0;
  }

  /**
   * Hands `handler` each message of `channel` once: `{ channel, cursor, eventId, type, title, body,
   * data, occurredAt, acceptedAt, source, filled }`, from the channel cursor `since` or from now on.
   * May be called before start() or while disconnected: it is sent once the session is open, and
   * again (from the channel's last cursor) after every reconnect. Live messages come at once, in
   * cursor order; after a `resync` the missed ones are read from the store and follow, in cursor
   * order, with `filled: true`. What becomes of the subscription is told by 'subscription' events.
   * Returns the function that removes this handler (the last one removed unsubscribes).
   */
  subscribe(channel, handler, { since = null } = {}) {
    return this.channels.subscribe(channel, handler, since);
  }

  /** The channel subscriptions held: `{ channel, state, cursor, filling }` each. */
  get subscriptions() {
    return this.channels.list;
  }

  /**
   * Loads the inbox (retrying while the store is unreachable), then connects. Resolves once the
   * inbox is loaded; rejects on a fatal error (e.g. a refused token and no getToken) or stop().
   */
  async start() {
    if (!this.connection.can('start')) {
      return;
    }
    const run = this.connection.begin();
    for (;;) {
      try {
        await this.loadInbox();
        break;
      }
      catch (error) {
        if (run !== this.connection.run) {
          throw new HeraldError('stopped');
        }
        if (error.fatal) {
          this.connection.fail(error);
          throw error;
        }
        if (!(await this.connection.pause(error))) {
          throw new HeraldError('stopped');
        }
      }
    }
    if (run !== this.connection.run) {
      return;
    }
    this.connection.resetBackoff();
    this.connection.connect();
    if (this.gap) {
      this.fillGap(run); // one left from before a stop()
    }
    this.channels.resume();
  }

  /**
   * Whether the store holds items older than those held (`loadOlder()` would add some): the last
   * page read had a `next`, or live items pushed the oldest out of the list.
   *
   * @returns {boolean}
   */
  get hasOlder() {
    return this.older !== null || this.inbox.trimmed;
  }

  /**
   * Loads the inbox page before the oldest item held (`GET /v1/me/notifications?before=<next>`,
   * `pageSize` items) and puts its items below the others; they are kept beyond `maxItems`. Not
   * 'notification's (nothing new happened): an 'items' event says the list grew. Concurrent calls
   * share one request. Resolves to the items added, newest first (none when `hasOlder` is false or
   * the inbox was reloaded meanwhile); rejects when the store refuses or cannot be reached.
   *
   * @returns {Promise<Array<object>>}
   */
  loadOlder() {
    if (!this.olderRequest) {
      this.olderRequest = this.readOlder().finally(() => { this.olderRequest = null; });
    }
    return this.olderRequest;
  }

  async readOlder() {
    const generation = this.inbox.generation;
    // After live items pushed the oldest out, the page before `older` would leave a hole: the
    // pages are read again from the newest, and what comes below the items held is added.
    if (!this.hasOlder) {
      return [];
    }
    let before = this.inbox.trimmed ? null : this.older;
    for (let pages = 0; pages < 1000; pages++) {
      const query = before === null ? '' : `&before=${encodeURIComponent(before)}`;
      const page = await this.http('GET', `${this.storeUrl}/v1/me/notifications?limit=${this.pageSize}${query}`);
      if (generation !== this.inbox.generation) {
        return []; // reloaded meanwhile: this page may not continue the new list
      }
      const items = page.items || [];
      const below = this.inbox.trimmed ? items.filter(item => this.inbox.isOlderThanHeld(item)) : items;
      if (this.inbox.trimmed && below.length === 0 && page.next) {
        before = page.next;
        continue;
      }
      this.inbox.trimmed = false;
      this.older = page.next ?? null;
      const added = this.inbox.addOlder(below);
      if (added.length) {
        this.emit('items', this.inbox.items);
      }
      return added;
    }
    return [];
  }

  /**
   * Says the page displayed these notifications to the user (e.g. the inbox panel showed them):
   * the gateway reports them as `seen` receipts, so the backend's "unseen after M minutes" alert
   * (the store's receipt tracker) does not fire for them. Not read state: use `markRead` for that.
   * Coalesced and sent once each; ids not sent before a disconnect go after the reconnect.
   *
   * @param {string|string[]} eventIds
   */
  markShown(eventIds) {
    this.shown.add(eventIds);
  }

  /** Closes the socket and stops reconnecting. The items, the count and a pending gap stay. */
  stop() {
    this.shown.cancel();
    this.connection.stop();
    this.cancelTimers();
  }

  /**
   * Marks one notification read (at once here; other tabs learn it through their gateway). For a
   * message of an inbox channel pass the item's `channel` too (its eventId is unique only there).
   */
  async markRead(eventId, channel = null) {
    this.applyRead({ eventIds: [eventId], all: false, cursor: null, channel });
    const query = channel ? `?channel=${encodeURIComponent(channel)}` : '';
    try {
      return await this.http('POST', `${this.storeUrl}/v1/me/notifications/${encodeURIComponent(eventId)}/read${query}`);
    }
    catch (error) {
      this.scheduleCountRefresh();
      throw error;
    }
  }

  /**
   * Performs action `actionId` of `item` (one of its `actions`, see INBOX.md): a named action is
   * handed to the 'action' listeners as `{ item, action }`; a URL action is only returned, for the
   * caller to open. Returns the action, or null when the item has none with that id.
   *
   * @param {object} item an item of `items`
   * @param {string} actionId
   * @returns {{ id: string, label: string, url?: string, action?: string }|null}
   */
  act(item, actionId) {
    const action = (Array.isArray(item?.actions) ? item.actions : []).find(candidate => candidate?.id === actionId) ?? null;
    if (action && typeof action.action === 'string') {
      this.emit('action', { item: { ...item }, action: { ...action } });
    }
    return action;
  }

  /** Marks every notification read. */
  async markAllRead() {
    this.applyRead({ eventIds: [], all: true, cursor: null });
    try {
      return await this.http('POST', `${this.storeUrl}/v1/me/notifications/read-all`);
    }
    catch (error) {
      this.scheduleCountRefresh();
      throw error;
    }
  }

  /**
   * Marks items seen (at once here; other tabs learn it through their gateway): shown in an opened
   * feed. Independent of read. For messages of an inbox channel pass their `channel`.
   *
   * @param {string|string[]} eventIds
   * @param {string|null} [channel]
   */
  async markSeen(eventIds, channel = null) {
    const ids = Array.isArray(eventIds) ? eventIds : [eventIds];
    this.applyState('seen', { eventIds: ids, all: false, cursor: null, channel });
    return this.postEach(ids, 'seen', channel);
  }

  /** Marks everything seen (the feed was opened). */
  async markAllSeen() {
    this.applyState('seen', { eventIds: [], all: true, cursor: null });
    return this.post('seen-all');
  }

  /** Archives an item: it leaves `items` and the counts; `loadArchived()` lists it. */
  async archive(eventId, channel = null) {
    this.applyState('archived', { eventIds: [eventId], all: false, cursor: null, channel });
    return this.orReload(this.postEach([eventId], 'archive', channel));
  }

  /** Takes an item out of the archive; it comes back into `items` once the newest page is read again. */
  async unarchive(eventId, channel = null) {
    const answer = await this.postEach([eventId], 'unarchive', channel);
    this.scheduleReload();
    return answer;
  }

  /** Archives every read item (what an archive-all of `status=read` covers). */
  async archiveAllRead() {
    this.applyState('archived', { eventIds: [], all: true, scope: 'read', cursor: null });
    return this.orReload(this.post('archive-all?status=read'));
  }

  /** An archive taken out of the list at once that the store refused: the list is read again. */
  async orReload(request) {
    try {
      return await request;
    }
    catch (error) {
      this.scheduleReload();
      throw error;
    }
  }

  /**
   * A page of the archive, newest first: `{ items, next }` (pass `next` as `before` for the
   * next). Archived items are not held in `items`.
   */
  async loadArchived({ before = null, limit = this.pageSize } = {}) {
    const query = `status=archived&limit=${limit}${before ? `&before=${encodeURIComponent(before)}` : ''}`;
    const page = await this.http('GET', `${this.storeUrl}/v1/me/notifications?${query}`);
    return { items: page.items || [], next: page.next ?? null };
  }

  /**
   * The unread and unseen counts of several tabs in one call (at most 20 filters), read from the
   * store's counters: `await herald.counts(['all', 'type:order.*', 'tag:vip'])` answers
   * `{ counts: [{ filter, unread, unseen }, …], cursor }`, in the order asked, exact at `cursor`.
   * A filter is `all`, `type:<type>` (exactly that type), `type:<prefix>.*` (types that start
   * with `<prefix>.`: prefixes end at a '.') or `tag:<tag>`; the type and tag filters cover the
   * user's own notifications, not inbox-channel messages. The answer is not kept live: ask again
   * when the `unread` or `unseen` event fires.
   */
  async counts(filters) {
    if (!Array.isArray(filters) || filters.length === 0) {
      throw new HeraldError('counts: give one or more filters, e.g. [\'all\', \'type:order.*\']');
    }
    const query = filters.map(filter => `filter=${encodeURIComponent(filter)}`).join('&');
    const answer = await this.http('GET', `${this.storeUrl}/v1/me/notifications/counts?${query}`);
    return { counts: answer.counts || [], cursor: answer.cursor ?? null };
  }

  /**
   * A page of the inbox for a tab, newest first (oldest first with `after`): `{ items, next, cursor }`
   * (pass `next` as `before` — or as `after` when paging forward — for the next page). `type` is a
   * type (`order.shipped`) or a prefix (`order.*`), `tag` a tag (give one of them, not both);
   * `status` as the list takes it (`unread`, `unseen`, `archived`…). Filtered pages hold the user's
   * own notifications only. Their items are not held in `items`.
   */
  async list({ type = null, tag = null, status = null, before = null, after = null, limit = this.pageSize } = {}) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries({ type, tag, status, before, after })) {
      if (value !== null && value !== undefined) {
        params.set(name, value);
      }
    }
    params.set('limit', String(limit));
    const page = await this.http('GET', `${this.storeUrl}/v1/me/notifications?${params}`);
    return { items: page.items || [], next: page.next ?? null, cursor: page.cursor ?? null };
  }

  /** POSTs `…/notifications/<action>`; a refusal re-reads the counts. */
  async post(action) {
    try {
      return await this.http('POST', `${this.storeUrl}/v1/me/notifications/${action}`);
    }
    catch (error) {
      this.scheduleCountRefresh();
      throw error;
    }
  }

  /** POSTs `…/notifications/<eventId>/<action>` for each id; answers with the last one's answer. */
  async postEach(eventIds, action, channel) {
    const query = channel ? `?channel=${encodeURIComponent(channel)}` : '';
    let answer = null;
    for (const id of eventIds) {
      answer = await this.post(`${encodeURIComponent(id)}/${action}${query}`);
    }
    return answer;
  }

  /**
   * The user's preference set: `{ rules, cursor, updatedAt }` (no rules, and null cursor and time,
   * when the user never set any).
   * @returns {Promise<PreferenceSet>}
   */
  async getPreferences() {
    return this.http('GET', `${this.storeUrl}/v1/me/preferences`);
  }

  /**
   * Replaces the user's whole preference set. The most specific rule matching a type decides (an
   * exact type, then the longest `prefix.*`, then `*`); at most 50 rules. It applies to the
   * notifications after it: muted ones are not delivered live nor counted, unless `critical`. A
   * bad set is refused (HeraldError with status 400) and nothing changes.
   * @param {PreferenceRule[]} rules
   * @returns {Promise<{ eventId: string, cursor: string, applied: boolean, rules: PreferenceRule[] }>}
   */
  async setPreferences(rules) {
    return this.http('PUT', `${this.storeUrl}/v1/me/preferences`, { rules });
  }

  // --- frames ---

  onFrame(frame) {
    switch (frame.type) {
      case 'welcome':
        this.holdWelcome(frame);
        break;
      case 'notification':
        this.seenLive(frame.cursor);
        if (frame.event) {
          this.addItem({ ...frame.event, tags: frame.event.tags ?? [], cursor: frame.cursor, read: false });
        }
        break;
      case 'read':
        this.seenLive(frame.cursor);
        this.applyRead({ eventIds: frame.eventIds || [], all: Boolean(frame.all), cursor: frame.cursor ?? null,
          channel: frame.channel ?? null });
        break;
      case 'state':
        this.seenLive(frame.cursor);
        this.applyState(frame.state, { eventIds: frame.eventIds || [], all: Boolean(frame.all),
          scope: frame.scope ?? 'all', cursor: frame.cursor ?? null, channel: frame.channel ?? null });
        break;
      case 'resync':
        // A channel's resync names the channel; the user stream's does not.
        if (typeof frame.channel === 'string') {
          this.channels.onFrame(frame);
        }
        else {
          this.onResync(frame);
        }
        break;
      case 'subscribed':
      case 'message':
      case 'unsubscribed':
      case 'error':
        this.channels.onFrame(frame); // an error without a channel is not a subscription's: ignored
        break;
      case 'ping':
        // An old gateway's welcome does not say how long its replay is; a ping comes after it.
        if (this.welcome?.remaining === null) {
          this.adoptWelcome();
        }
        break;
      default:
        break; // pong, and types of later versions
    }
  }

  /**
   * The welcome's cursor also covers the `replay` frames that follow it, so it is adopted only once
   * they are all here: a socket lost mid-replay resumes after the last frame it got. Without a
   * `replay` (an old gateway) it is adopted on a ping or a frame at or past it, never on a timer.
   */
  holdWelcome(frame) {
    this.welcome = null;
    if (!parseCursor(frame.cursor)) {
      return;
    }
    const remaining = Number.isInteger(frame.replay) && frame.replay >= 0 ? frame.replay : null;
    this.welcome = { cursor: frame.cursor, remaining };
    if (remaining === 0) {
      this.adoptWelcome();
    }
  }

  adoptWelcome() {
    if (this.welcome) {
      this.cursor = laterCursor(this.cursor, this.welcome.cursor);
      this.welcome = null;
    }
  }

  seenLive(cursor) {
    this.cursor = laterCursor(this.cursor, cursor);
    const welcome = this.welcome;
    if (!welcome) {
      return;
    }
    if (welcome.remaining === null ? !(compareCursors(cursor, welcome.cursor) < 0) : --welcome.remaining <= 0) {
      this.adoptWelcome();
    }
  }

  /**
   * The gateway cannot replay (from, to]: the gap is read from the inbox in the background, while
   * the socket goes on (a welcome, its replay, live events). The resume cursor moves to `to` at
   * once, since the gap is kept until filled, across reconnects: so a reconnect, even the one after
   * an old gateway closes on a resync, resumes where the gateway can. `from` null (the gateway does
   * not trust the client's cursor) reloads the inbox first. Without `to` (a gateway from before gaps
   * had ends), the gap runs from the cursor to whatever the inbox has, and the cursor moves there
   * once it is read.
   */
  onResync(frame) {
    const to = parseCursor(frame.to) ? frame.to : null;
    if (to === null) {
      this.openGap(parseCursor(this.cursor) ? this.cursor : null, null);
      return;
    }
    let from = parseCursor(frame.from) ? frame.from : null;
    if (from !== null && !(compareCursors(from, to) <= 0 && epochsAgree(from, to))) {
      from = null; // of another partition or epoch than `to`: nothing to read it after
    }
    this.cursor = from === null ? to : laterCursor(this.cursor, to);
    this.openGap(from, to);
  }

  // --- gaps ---

  /** Opens a gap, or widens the pending one when the two are of one stream. */
  openGap(from, to) {
    const gap = this.gap;
    const joins = gap !== null && from !== null && (gap.to === null || to === null
        || (!Number.isNaN(compareCursors(gap.to, to)) && epochsAgree(gap.to, to)));
    if (joins) {
      if (to !== null && (gap.to === null || isAfter(to, gap.to))) {
        gap.to = to;
      }
      if (isAfter(gap.from, from)) {
        gap.from = from;
      }
      if (gap.after !== null && isAfter(gap.after, from)) {
        gap.after = from;
      }
      gap.legacy ||= to === null;
    }
    else {
      if (!gap) {
        this.gapAttempt = 0;
      }
      // `after`: where the next read starts; it moves up as the inbox answers.
      this.gap = { from, to, after: from, reload: from === null, legacy: to === null };
    }
    this.emit('gap', { from: this.gap.from, to: this.gap.to, filled: false });
    this.fillGap(this.connection.run);
  }

  /**
   * Reads the pending gap from the inbox until an answer's cursor reaches its end, backing off
   * while the store lags the gateway. One loop per run; it picks up a gap widened meanwhile.
   */
  async fillGap(run) {
    if (this.gapRun === run || run !== this.connection.run) {
      return;
    }
    this.gapRun = run;
    try {
      while (this.gap && run === this.connection.run) {
        const gap = this.gap;
        try {
          const cursor = await this.readGap(gap, run);
          if (this.gap !== gap) {
            continue;
          }
          if (!this.fills(gap, cursor)) {
            await this.gapPause(); // the store has not got that far yet
            continue;
          }
          await this.refreshReadStates(run);
          if (this.gap === gap && this.fills(gap, cursor)) {
            this.closeGap(gap, cursor);
          }
        }
        catch (error) {
          if (run !== this.connection.run) {
            break;
          }
          if (error.fatal) {
            this.connection.fail(error);
            break;
          }
          if (error.status === 400 && !gap.reload) {
            // The store says the cursor is not of this user's stream (the partitions changed).
            gap.reload = true;
            gap.after = null;
            continue;
          }
          await this.gapPause();
        }
      }
    }
    finally {
      if (this.gapRun === run) {
        this.gapRun = null;
      }
    }
  }

  /**
   * One pass over the gap: reloads the newest page first when the start is unknown, then reads
   * after `gap.after` page by page, oldest first. Returns the inbox's cursor (everything up to it
   * has been read), or null when the pass ended early.
   */
  async readGap(gap, run) {
    if (gap.reload) {
      const [page, count] = await this.newestPageAndCount(run);
      if (this.gap !== gap) {
        return null;
      }
      if (!parseCursor(page.cursor)) {
        throw new HeraldError('the inbox gave no cursor');
      }
      const unseen = this.inbox.reload(page.items || [], count.unread, count.cursor ?? page.cursor, page.cursor,
        count.unseen);
      this.older = page.next ?? null;
      for (const item of unseen) {
        this.emit('notification', { ...item });
      }
      this.emit('items', this.inbox.items);
      this.emit('unread', this.inbox.unread);
      this.emit('unseen', this.inbox.unseen);
      gap.after = page.cursor;
      gap.reload = false;
    }
    let after = gap.after;
    let last = null;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await this.http('GET', `${this.storeUrl}/v1/me/notifications?limit=${GAP_PAGE}&after=${encodeURIComponent(after)}`);
      this.checkRun(run);
      this.addItems(page.items || []);
      last = page;
      if (!page.next) {
        break;
      }
      after = page.next;
    }
    if (last?.next) {
      gap.after = last.next;
      return null;
    }
    // Only the last page's cursor says that everything up to it was read.
    const cursor = parseCursor(last?.cursor) ? last.cursor : null;
    if (isAfter(cursor, gap.after)) {
      gap.after = cursor;
    }
    return cursor;
  }

  /** Whether an inbox answer at `cursor` fills the gap: it reached `to` (any full pass, without a `to`). */
  fills(gap, cursor) {
    return cursor !== null && (gap.to === null || hasReached(cursor, gap.to));
  }

  closeGap(gap, cursor) {
    this.gap = null;
    this.gapAttempt = 0;
    if (gap.legacy) {
      this.cursor = laterCursor(this.cursor, cursor);
    }
    this.emit('gap', { from: gap.from, to: gap.to, filled: true });
  }

  /** The back-off before the next look at a gap; stop() ends it early. */
  gapPause() {
    return new Promise(resolve => {
      this.gapWake = resolve;
      this.gapTimer = this.setTimer(() => {
        this.gapTimer = null;
        this.gapWake = null;
        resolve();
      }, backoffDelay(this.gapAttempt++, this.backoff, this.random));
    });
  }

  checkRun(run) {
    if (run !== this.connection.run) {
      throw new HeraldError('stopped');
    }
  }

  // --- REST ---

  async loadInbox() {
    const [page, count] = await Promise.all([
      this.http('GET', `${this.storeUrl}/v1/me/notifications?limit=${this.pageSize}`),
      this.http('GET', `${this.storeUrl}/v1/me/notifications/unread-count`),
    ]);
    // Without a cursor of its own, the count is taken as of the page's cursor.
    this.inbox.load(page.items || [], count.unread, count.cursor ?? page.cursor ?? null, count.unseen);
    this.older = page.next ?? null;
    this.cursor = laterCursor(this.cursor, page.cursor);
    this.emit('items', this.inbox.items);
    this.emit('unread', this.inbox.unread);
    this.emit('unseen', this.inbox.unseen);
  }

  async newestPageAndCount(run) {
    const answers = await Promise.all([
      this.http('GET', `${this.storeUrl}/v1/me/notifications?limit=${this.pageSize}`),
      this.http('GET', `${this.storeUrl}/v1/me/notifications/unread-count`),
    ]);
    this.checkRun(run);
    return answers;
  }

  /** Read, seen and archived changes of older items during a gap are not in it: they are taken from a fresh page. */
  async refreshReadStates(run) {
    const [page, count] = await this.newestPageAndCount(run);
    this.inbox.refresh(page.items || [], count.unread, count.cursor ?? page.cursor ?? null, count.unseen,
      page.cursor ?? null);
    this.emit('items', this.inbox.items);
    this.emit('unread', this.inbox.unread);
    this.emit('unseen', this.inbox.unseen);
  }

  async http(method, url, body = undefined) {
    for (let retried = false; ; retried = true) {
      const token = await this.currentToken();
      let response;
      try {
        const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
        const request = { method, headers };
        if (body !== undefined) {
          headers['Content-Type'] = 'application/json';
          request.body = JSON.stringify(body);
        }
        response = await this.fetchImpl(url, request);
      }
      catch (error) {
        throw new HeraldError(`${method} ${url} failed: ${error.message}`);
      }
      if (response.status === 401 && this.getToken && !retried) {
        await this.refreshToken(token);
        continue;
      }
      if (!response.ok) {
        const detail = await response.json().then(body => body.detail, () => '');
        throw new HeraldError(`${method} ${url}: HTTP ${response.status}${detail ? ` (${detail})` : ''}`,
          { status: response.status, fatal: response.status === 401 || response.status === 403 });
      }
      return response.status === 204 ? null : response.json();
    }
  }

  async currentToken() {
    if (!this.token) {
      await this.refreshToken(null);
    }
    return this.token;
  }

  /** One token request at a time, however many callers found `stale` refused. */
  async refreshToken(stale) {
    if (!this.getToken) {
      throw new HeraldError('the token was refused and there is no getToken to renew it', { fatal: true });
    }
    if (this.token !== stale) {
      return;
    }
    if (!this.tokenRequest) {
      this.tokenRequest = Promise.resolve()
        .then(() => this.getToken())
        .then(token => {
          if (!token) {
            throw new HeraldError('getToken gave no token', { fatal: true });
          }
          this.token = token;
        })
        .catch(error => {
          throw error instanceof HeraldError ? error : new HeraldError(`getToken failed: ${error.message}`);
        })
        .finally(() => { this.tokenRequest = null; });
    }
    await this.tokenRequest;
  }

  // --- bookkeeping and events ---

  addItem(item) {
    this.addItems([item]);
  }

  /** Adds items, hands out each new one, then says once that the list and the count changed. */
  addItems(items) {
    let added = 0;
    const now = this.now();
    for (const item of items) {
      const expiresAt = expiryOf(item);
      if (expiresAt !== null && expiresAt <= now) {
        this.inbox.seen.add(identityOf(item)); // expired on its way here: never shown
        continue;
      }
      if (this.inbox.add(item)) {
        added++;
        const held = this.inbox.list.find(candidate => identityOf(candidate) === identityOf(item));
        this.emit('notification', { ...(held || item) });
      }
    }
    if (added) {
      this.emit('items', this.inbox.items);
      this.emit('unread', this.inbox.unread);
      this.emit('unseen', this.inbox.unseen);
    }
  }

  /**
   * Applies an item state (`seen`, `archived`, `unarchived`) from this tab or a `state` frame. An
   * unarchived item is not held (archived items are not in the list), so the newest page is read
   * again; ids not held make the counts be read again.
   */
  applyState(state, change) {
    const before = { unread: this.inbox.unread, unseen: this.inbox.unseen };
    let result = { changed: [], unknown: [] };
    if (state === 'seen') {
      result = this.inbox.applySeen(change);
    }
    else if (state === 'archived') {
      result = this.inbox.applyArchive(change);
    }
    else if (state === 'unarchived') {
      this.scheduleReload();
    }
    else {
      return; // a state of a later version
    }
    this.emit(state, { eventIds: change.all ? result.changed : change.eventIds, all: Boolean(change.all),
      ...(state === 'archived' ? { scope: change.all ? change.scope ?? 'all' : null } : {}),
      cursor: change.cursor, channel: change.channel ?? null });
    if (result.changed.length) {
      this.emit('items', this.inbox.items);
    }
    if (this.inbox.unread !== before.unread) {
      this.emit('unread', this.inbox.unread);
    }
    if (this.inbox.unseen !== before.unseen) {
      this.emit('unseen', this.inbox.unseen);
    }
    if (result.unknown.length) {
      this.scheduleCountRefresh();
    }
  }

  /** Reads the newest page and the counts again soon (once for a burst), keeping the items held that are newer. */
  scheduleReload() {
    if (this.reloadTimer) {
      return;
    }
    const run = this.connection.run;
    this.reloadTimer = this.setTimer(() => {
      this.reloadTimer = null;
      this.newestPageAndCount(run).then(([page, count]) => {
        this.inbox.reload(page.items || [], count.unread, count.cursor ?? page.cursor ?? null, page.cursor ?? null,
          count.unseen);
        this.older = page.next ?? null;
        this.emit('items', this.inbox.items);
        this.emit('unread', this.inbox.unread);
        this.emit('unseen', this.inbox.unseen);
      }, () => {});
    }, 200);
  }

  applyRead(change) {
    const before = this.inbox.unread;
    const { changed, unknown } = this.inbox.applyRead(change);
    this.emit('read', { eventIds: change.all ? changed : change.eventIds, all: change.all, cursor: change.cursor,
      channel: change.channel ?? null });
    if (changed.length) {
      this.emit('items', this.inbox.items);
    }
    if (this.inbox.unread !== before) {
      this.emit('unread', this.inbox.unread);
    }
    if (unknown.length) {
      this.scheduleCountRefresh();
    }
  }

  /** Re-reads the unread count soon (once for a burst of calls). */
  scheduleCountRefresh() {
    if (this.countTimer) {
      return;
    }
    const run = this.connection.run;
    this.countTimer = this.setTimer(() => {
      this.countTimer = null;
      this.http('GET', `${this.storeUrl}/v1/me/notifications/unread-count`).then(count => {
        if (run === this.connection.run && this.inbox.unread !== count.unread) {
          this.inbox.unread = count.unread;
          this.emit('unread', this.inbox.unread);
        }
        if (run === this.connection.run && Number.isInteger(count.unseen) && this.inbox.unseen !== count.unseen) {
          this.inbox.unseen = count.unseen;
          this.emit('unseen', this.inbox.unseen);
        }
      }, () => {});
    }, 200);
  }

  onState(change) {
    if (change.state === States.CLOSED || change.state === States.ERROR) {
      this.cancelTimers();
    }
    this.emit('state', change);
  }

  /**
   * Keeps one timer for the earliest expiry among the items held; when it fires, the expired items
   * leave the list and the count ('expired', then 'items' and 'unread'), and the count is read
   * again: the store may have counted expired items that this view does not hold.
   */
  armExpiry() {
    const next = this.inbox.nextExpiry();
    if (this.expiryTimer?.at === next) {
      return;
    }
    if (this.expiryTimer) {
      this.clearTimer(this.expiryTimer.id);
      this.expiryTimer = null;
    }
    if (next === null) {
      return;
    }
    // Timers hold at most 2^31-1 ms; a later expiry is looked at again in an hour.
    const delay = Math.min(Math.max(0, next - this.now()), 3_600_000);
    this.expiryTimer = {
      at: next,
      id: this.setTimer(() => {
        this.expiryTimer = null;
        const gone = this.inbox.expire(this.now());
        if (gone.length) {
          this.emit('expired', gone);
          this.emit('items', this.inbox.items);
          this.emit('unread', this.inbox.unread);
          this.scheduleCountRefresh();
        }
        else {
          this.armExpiry();
        }
      }, delay),
    };
  }

  emit(event, value) {
    if (event === 'items') {
      // Every change of the list passes here: the place to drop what expired and watch what will.
      if (this.inbox.expire(this.now()).length) {
        this.scheduleCountRefresh();
        value = this.inbox.items;
      }
      this.armExpiry();
    }
    for (const callback of this.listeners.get(event) || []) {
      try {
        callback(value);
      }
      catch (error) {
        setTimeout(() => { throw error; }, 0); // a listener's error must not break the SDK
      }
    }
  }

  cancelTimers() {
    this.channels.stop();
    if (this.expiryTimer) {
      this.clearTimer(this.expiryTimer.id);
      this.expiryTimer = null;
    }
    if (this.countTimer) {
      this.clearTimer(this.countTimer);
      this.countTimer = null;
    }
    if (this.reloadTimer) {
      this.clearTimer(this.reloadTimer);
      this.reloadTimer = null;
    }
    if (this.gapTimer) {
      this.clearTimer(this.gapTimer);
      this.gapTimer = null;
    }
    const wake = this.gapWake;
    this.gapWake = null;
    wake?.();
  }
}
