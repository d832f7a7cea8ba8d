/**
 * Herald browser SDK: a user's inbox and live notifications, with no gap and no duplicate across
 * reconnects. A plain ES module with no dependencies and no build step.
 *
 *   import { Herald } from './herald.js';
 *   const herald = new Herald({ storeUrl, gatewayUrl, token, getToken });
 *   herald.on('notification', item => ...);   // a new item (also for items filled in after a resync)
 *   herald.on('read', ({ eventIds, all }) => ...);
 *   herald.on('unread', count => ...);
 *   herald.on('items', items => ...);         // the list changed (newest first)
 *   herald.on('state', ({ state, error }) => ...);  // connecting | open | reconnecting | closed | error
 *   await herald.start();                     // resolves once the inbox is loaded
 *   await herald.markRead(eventId); await herald.markAllRead(); herald.stop();
 *
 * How it keeps the v1 contract (DESIGN.md, invariants 4 and 5): the inbox is loaded over REST first
 * and the socket resumes from the cursor that response gave; afterwards the cursor only moves to
 * positions whose events the SDK has seen. On `resync` the gap is read from the inbox (oldest
 * first) before reconnecting. Event ids already seen are dropped.
 */

/** WebSocket close codes of the push gateway. */
export const CloseCodes = Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001,
  TRY_AGAIN_LATER: 1013,
  MOVED: 4001,
  UNAUTHORIZED: 4003,
  TOO_SLOW: 4008,
  TOO_MANY_CONNECTIONS: 4029,
});

export const States = Object.freeze({
  CONNECTING: 'connecting',
  OPEN: 'open',
  RECONNECTING: 'reconnecting',
  CLOSED: 'closed',
  ERROR: 'error',
});

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

/**
 * Exponential back-off with full jitter: a uniform delay in [0, min(maxMs, baseMs * 2^attempt)).
 * Full jitter spreads the reconnects of many clients after a gateway goes away.
 */
/** When a JWT expires (ms since the epoch, from its `exp` claim), or null when that cannot be read. */
export function tokenExpiry(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const exp = JSON.parse(atob(payload)).exp;
    return Number.isFinite(exp) ? exp * 1000 : null;
  }
  catch {
    return null;
  }
}

export function backoffDelay(attempt, { baseMs = 500, maxMs = 30_000 } = {}, random = Math.random) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.floor(random() * ceiling);
}

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
 * The client's view of the inbox: items newest first (bounded), the unread count, and the ids seen.
 * Pure bookkeeping, no I/O. `countCursor` is the position the server's unread count reflects: an
 * item at or before it is already counted.
 */
export class Inbox {
  constructor({ maxItems = 200, maxIds = 2000 } = {}) {
    this.maxItems = maxItems;
    this.seen = new RecentIds(Math.max(maxIds, maxItems));
    this.list = [];
    this.unread = 0;
    this.countCursor = null;
  }

  /**
   * Starts over from a page of the inbox (newest first) and the server's unread count. When the
   * count's own cursor is known and older than some unread page items, those are added to it.
   */
  load(items, unread, countCursor) {
    this.list = [];
    this.unread = Math.max(0, Number(unread) || 0);
    this.countCursor = countCursor ?? null;
    for (const item of [...items].reverse()) {
      this.seen.add(item.eventId);
      if (!this.list.some(held => held.eventId === item.eventId)) {
        this.insert(item);
      }
    }
  }

  /** Adds a new item; false (and nothing changes) for an id already seen. */
  add(item) {
    if (!item || typeof item.eventId !== 'string' || !this.seen.add(item.eventId)) {
      return false;
    }
    this.insert(item);
    return true;
  }

  insert(item) {
    const copy = { ...item, read: Boolean(item.read) };
    // Newest first by cursor; items arrive in order, so this is nearly always index 0.
    let at = 0;
    while (at < this.list.length && isAfter(this.list[at].cursor, copy.cursor)) {
      at++;
    }
    this.list.splice(at, 0, copy);
    if (this.list.length > this.maxItems) {
      this.list.length = this.maxItems;
    }
    // An item at or before the count's position is already in the server's count.
    if (!copy.read && !(compareCursors(copy.cursor, this.countCursor) <= 0)) {
      this.unread++;
    }
  }

  /**
   * Applies a read-state change: `eventIds` became read, or with `all` every item up to `cursor`.
   * Returns the ids that changed here and those this view does not hold (whose previous state it
   * cannot know, so the caller should re-read the count).
   */
  applyRead({ eventIds = [], all = false, cursor = null } = {}) {
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
      const item = this.list.find(candidate => candidate.eventId === id);
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

  /** Takes read flags from a fresh page and the count from the server, keeping the items held. */
  refresh(items, unread, countCursor) {
    const byId = new Map(items.map(item => [item.eventId, item]));
    for (const item of this.list) {
      const fresh = byId.get(item.eventId);
      if (fresh) {
        item.read = Boolean(fresh.read);
      }
    }
    this.unread = Math.max(0, Number(unread) || 0);
    this.countCursor = countCursor ?? this.countCursor;
  }

  get items() {
    return this.list.map(item => ({ ...item }));
  }
}

/** An error the SDK reports; `fatal` ones stop it (state 'error'). */
export class HeraldError extends Error {
  constructor(message, { status = 0, fatal = false, code = 0 } = {}) {
    super(message);
    this.name = 'HeraldError';
    this.status = status;
    this.fatal = fatal;
    this.code = code;
  }
}

const MAX_MOVES = 3;
const MAX_AUTH_RETRIES = 2;
/** How long before a token expires the SDK sends the gateway a fresh one. */
const TOKEN_RENEW_AHEAD_MS = 30_000;

/**
 * A user's live inbox. Options: `storeUrl` (notification-store), `gatewayUrl` (any push gateway,
 * for /v1/route), `token` and/or `getToken` (async, returns a fresh user token), and optionally
 * `pageSize` (50), `maxItems` (200), `backoffBaseMs` (500), `backoffMaxMs` (30000), `welcomeQuietMs`
 * (1000), and, for tests, `fetch`, `WebSocket`, `setTimeout`, `clearTimeout`, `random`.
 */
export class Herald {
  constructor(options = {}) {
    if (!options.storeUrl || !options.gatewayUrl) {
      throw new TypeError('Herald needs storeUrl and gatewayUrl');
    }
    if (!options.token && typeof options.getToken !== 'function') {
      throw new TypeError('Herald needs a token or a getToken function');
    }
    this.storeUrl = String(options.storeUrl).replace(/\/+$/, '');
    this.gatewayUrl = String(options.gatewayUrl).replace(/\/+$/, '');
    this.token = options.token || null;
    this.getToken = options.getToken || null;
    this.fetchImpl = options.fetch || ((...args) => globalThis.fetch(...args));
    this.WebSocketImpl = options.WebSocket || globalThis.WebSocket;
    this.setTimer = options.setTimeout || ((fn, ms) => globalThis.setTimeout(fn, ms));
    this.clearTimer = options.clearTimeout || (id => globalThis.clearTimeout(id));
    this.random = options.random || Math.random;
    this.now = options.now || (() => Date.now());
    this.backoff = { baseMs: options.backoffBaseMs ?? 500, maxMs: options.backoffMaxMs ?? 30_000 };
    this.pageSize = options.pageSize ?? 50;
    this.welcomeQuietMs = options.welcomeQuietMs ?? 1000;
    this.inbox = new Inbox({ maxItems: options.maxItems ?? 200 });
    this.listeners = new Map();
    this.cursor = null;
    this.currentState = States.CLOSED;
    this.lastError = null;
    this.run = 0;
    this.socket = null;
    this.timer = null;
    this.attempt = 0;
    this.moves = 0;
    this.authRetries = 0;
    this.resyncs = 0;
    this.movedTo = null;
    this.resyncPending = false;
    this.welcome = null;
    this.countTimer = null;
    this.welcomeTimer = null;
    this.tokenTimer = null;
    this.wake = null;
    this.tokenRequest = null;
  }

  /** Subscribes to 'notification', 'read', 'unread', 'items' or 'state'; returns the unsubscribe function. */
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

  /** The items held, newest first (copies). */
  get items() {
    return this.inbox.items;
  }

  get state() {
    return this.currentState;
  }

  get error() {
    return this.lastError;
  }

  /** The URL of the gateway this client is connected to, while open. */
  get connectedUrl() {
    return this.currentState === States.OPEN && this.socket ? this.socket.url : null;
  }

  /** The position up to which this client has every event of its user. */
  get position() {
    return this.cursor;
  }

  /**
   * Loads the inbox (retrying while the store is unreachable), then connects. Resolves once the
   * inbox is loaded; rejects on a fatal error (e.g. a refused token and no getToken) or stop().
   */
  async start() {
    if (this.currentState !== States.CLOSED && this.currentState !== States.ERROR) {
      return;
    }
    const run = ++this.run;
    this.lastError = null;
    this.attempt = 0;
    this.setState(States.CONNECTING);
    for (;;) {
      try {
        await this.loadInbox();
        break;
      }
      catch (error) {
        if (run !== this.run) {
          throw new HeraldError('stopped');
        }
        if (error.fatal) {
          this.fail(error);
          throw error;
        }
        this.setState(States.RECONNECTING, error);
        await new Promise(resolve => {
          this.wake = resolve; // stop() wakes it, so that start() settles
          this.timer = this.setTimer(resolve, this.nextDelay());
        });
        this.wake = null;
        if (run !== this.run) {
          throw new HeraldError('stopped');
        }
      }
    }
    this.attempt = 0;
    this.connect(run);
  }

  /** Closes the socket and stops reconnecting. The items and count stay readable. */
  stop() {
    this.run++;
    this.cancelTimers();
    this.wake?.();
    this.closeSocket(CloseCodes.NORMAL, 'stopped');
    this.setState(States.CLOSED);
  }

  /** Marks one notification read (at once here; other tabs learn it through their gateway). */
  async markRead(eventId) {
    this.applyRead({ eventIds: [eventId], all: false, cursor: null });
    try {
      return await this.http('POST', `${this.storeUrl}/v1/me/notifications/${encodeURIComponent(eventId)}/read`);
    }
    catch (error) {
      this.scheduleCountRefresh();
      throw error;
    }
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

  // --- REST ---

  async loadInbox() {
    const [page, count] = await Promise.all([
      this.http('GET', `${this.storeUrl}/v1/me/notifications?limit=${this.pageSize}`),
      this.http('GET', `${this.storeUrl}/v1/me/notifications/unread-count`),
    ]);
    // Without a cursor of its own, the count is taken as of the page's cursor.
    this.inbox.load(page.items || [], count.unread, count.cursor ?? page.cursor ?? null);
    this.cursor = laterCursor(this.cursor, page.cursor);
    this.emit('items', this.inbox.items);
    this.emit('unread', this.inbox.unread);
  }

  /** Reads every event after the cursor (oldest first, page by page) and hands new ones out. */
  async fillGap() {
    let after = this.cursor;
    let last = null;
    for (let pages = 0; pages < 1000; pages++) {
      const query = after ? `&after=${encodeURIComponent(after)}` : '';
      const page = await this.http('GET', `${this.storeUrl}/v1/me/notifications?limit=200${query}`);
      for (const item of page.items || []) {
        this.addItem(item);
      }
      last = page;
      if (!page.next) {
        break;
      }
      after = page.next;
    }
    // Only the last page's cursor says that everything up to it was read.
    this.cursor = laterCursor(this.cursor, last?.cursor);
    // Read-state changes of older items during the gap are not in it: take them from a fresh page.
    const [page, count] = await Promise.all([
      this.http('GET', `${this.storeUrl}/v1/me/notifications?limit=${this.pageSize}`),
      this.http('GET', `${this.storeUrl}/v1/me/notifications/unread-count`),
    ]);
    this.inbox.refresh(page.items || [], count.unread, count.cursor ?? page.cursor ?? null);
    this.emit('items', this.inbox.items);
    this.emit('unread', this.inbox.unread);
  }

  async http(method, url) {
    for (let retried = false; ; retried = true) {
      const token = await this.currentToken();
      let response;
      try {
        response = await this.fetchImpl(url, {
          method,
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        });
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

  // --- WebSocket ---

  async connect(run) {
    if (run !== this.run) {
      return;
    }
    let url = this.movedTo;
    this.movedTo = null;
    let token;
    try {
      if (!url) {
        const route = await this.http('GET', `${this.gatewayUrl}/v1/route`);
        url = route.url;
      }
      token = await this.currentToken();
    }
    catch (error) {
      if (run === this.run) {
        error.fatal ? this.fail(error) : this.reconnectLater(error);
      }
      return;
    }
    if (run !== this.run) {
      return;
    }
    let socket;
    try {
      socket = new this.WebSocketImpl(url);
    }
    catch (error) {
      this.reconnectLater(new HeraldError(`cannot open ${url}: ${error.message}`));
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket === socket) {
        // `since` is left out when there is no cursor yet: "from now on".
        socket.send(JSON.stringify({ type: 'auth', token, since: this.cursor ?? undefined }));
      }
    };
    socket.onmessage = message => {
      if (this.socket === socket) {
        this.onFrame(socket, message.data);
      }
    };
    socket.onclose = close => {
      if (this.socket === socket) {
        this.socket = null;
        this.onClose(run, close.code, close.reason || '');
      }
    };
    socket.onerror = () => {
      // A close event always follows; it decides what to do.
    };
  }

  onFrame(socket, data) {
    let frame;
    try {
      frame = JSON.parse(data);
    }
    catch {
      return;
    }
    switch (frame?.type) {
      case 'welcome':
        this.attempt = 0;
        this.moves = 0;
        this.authRetries = 0;
        this.resyncs = 0;
        this.holdWelcome(frame.cursor);
        this.renewTokenBeforeExpiry(socket);
        this.setState(States.OPEN);
        break;
      case 'notification':
        this.seenLive(frame.cursor);
        if (frame.event) {
          this.addItem({ ...frame.event, cursor: frame.cursor, read: false });
        }
        break;
      case 'read':
        this.seenLive(frame.cursor);
        this.applyRead({ eventIds: frame.eventIds || [], all: Boolean(frame.all), cursor: frame.cursor ?? null });
        break;
      case 'resync':
        // The gateway closes right after; the close handler fills the gap.
        this.resyncPending = true;
        break;
      case 'ping':
        this.adoptWelcome();
        socket.send(JSON.stringify({ type: 'pong' }));
        break;
      default:
        break; // pong, error, and types of later versions
    }
  }

  /**
   * The welcome's cursor also covers the replay that follows it; it is adopted only once the replay
   * is through (a live frame past it, a ping, or a quiet moment), so a socket lost mid-replay
   * resumes from before the replay.
   */
  holdWelcome(cursor) {
    this.welcome = parseCursor(cursor) ? cursor : null;
    this.armWelcomeTimer();
  }

  armWelcomeTimer() {
    if (this.welcomeTimer) {
      this.clearTimer(this.welcomeTimer);
      this.welcomeTimer = null;
    }
    if (this.welcome) {
      this.welcomeTimer = this.setTimer(() => { this.welcomeTimer = null; this.adoptWelcome(); }, this.welcomeQuietMs);
    }
  }

  adoptWelcome() {
    if (this.welcome) {
      this.cursor = laterCursor(this.cursor, this.welcome);
      this.welcome = null;
    }
    if (this.welcomeTimer) {
      this.clearTimer(this.welcomeTimer);
      this.welcomeTimer = null;
    }
  }

  dropWelcome() {
    this.welcome = null;
    if (this.welcomeTimer) {
      this.clearTimer(this.welcomeTimer);
      this.welcomeTimer = null;
    }
  }

  seenLive(cursor) {
    this.cursor = laterCursor(this.cursor, cursor);
    if (this.welcome && !(compareCursors(cursor, this.welcome) < 0)) {
      this.adoptWelcome();
    }
    else {
      this.armWelcomeTimer();
    }
  }

  /**
   * The gateway closes a session with 4003 when its token expires; with a getToken, a fresh token
   * is sent in a `refresh` frame a little before that, so the session simply goes on.
   */
  renewTokenBeforeExpiry(socket) {
    this.dropTokenTimer();
    const expiresAt = tokenExpiry(this.token);
    if (!this.getToken || expiresAt === null) {
      return;
    }
    const delay = Math.max(1000, expiresAt - this.now() - TOKEN_RENEW_AHEAD_MS);
    this.tokenTimer = this.setTimer(() => {
      this.tokenTimer = null;
      this.refreshToken(this.token).then(() => {
        if (this.socket === socket) {
          socket.send(JSON.stringify({ type: 'refresh', token: this.token }));
          this.renewTokenBeforeExpiry(socket);
        }
      }, () => {
        // No fresh token now: the gateway's 4003 at expiry takes the usual path (renew, resume).
      });
    }, delay);
  }

  dropTokenTimer() {
    if (this.tokenTimer) {
      this.clearTimer(this.tokenTimer);
      this.tokenTimer = null;
    }
  }

  onClose(run, code, reason) {
    this.dropWelcome();
    this.dropTokenTimer();
    if (run !== this.run) {
      return;
    }
    if (code === CloseCodes.UNAUTHORIZED) {
      if (!this.getToken || this.authRetries >= MAX_AUTH_RETRIES) {
        this.fail(new HeraldError(`the gateway refused the token: ${reason}`, { fatal: true, code }));
        return;
      }
      this.authRetries++;
      const stale = this.token;
      this.setState(States.RECONNECTING);
      this.refreshToken(stale).then(() => this.connect(run),
        error => (error.fatal ? this.fail(error) : this.reconnectLater(error)));
      return;
    }
    if (code === CloseCodes.MOVED && /^wss?:\/\//.test(reason) && this.moves < MAX_MOVES) {
      this.moves++;
      this.movedTo = reason;
      this.setState(States.RECONNECTING);
      this.connect(run);
      return;
    }
    if (this.resyncPending) {
      this.resyncPending = false;
      this.setState(States.RECONNECTING);
      this.resyncs++;
      this.fillGap().then(
        // Resyncing again right away (e.g. the inbox lags the gateway) backs off.
        () => (this.resyncs > 1 ? this.reconnectLater(null) : this.connect(run)),
        error => this.recoverFromGapError(run, error));
      return;
    }
    const why = code ? new HeraldError(`connection closed (${code}${reason ? ` ${reason}` : ''})`, { code }) : null;
    this.reconnectLater(why);
  }

  recoverFromGapError(run, error) {
    if (run !== this.run) {
      return;
    }
    if (error.fatal) {
      this.fail(error);
      return;
    }
    if (error.status === 400) {
      // The cursor is not of this user's stream any more (the partition count changed): start over.
      this.cursor = null;
      this.loadInbox().then(() => this.connect(run),
        again => (again.fatal ? this.fail(again) : this.reconnectLater(again)));
      return;
    }
    this.resyncPending = true; // retry the gap after the back-off
    this.reconnectLaterThen(() => {
      this.resyncPending = false;
      this.fillGap().then(() => this.connect(run), next => this.recoverFromGapError(run, next));
    });
  }

  reconnectLater(error) {
    const run = this.run;
    this.reconnectLaterThen(() => this.connect(run), error);
  }

  reconnectLaterThen(action, error = null) {
    if (this.currentState === States.CLOSED || this.currentState === States.ERROR) {
      return;
    }
    this.setState(States.RECONNECTING, error);
    const run = this.run;
    this.cancelTimer();
    this.timer = this.setTimer(() => {
      this.timer = null;
      if (run === this.run) {
        action();
      }
    }, this.nextDelay());
  }

  nextDelay() {
    return backoffDelay(this.attempt++, this.backoff, this.random);
  }

  // --- bookkeeping and events ---

  addItem(item) {
    if (this.inbox.add(item)) {
      const added = this.inbox.list.find(candidate => candidate.eventId === item.eventId);
      this.emit('notification', { ...(added || item) });
      this.emit('items', this.inbox.items);
      this.emit('unread', this.inbox.unread);
    }
  }

  applyRead(change) {
    const before = this.inbox.unread;
    const { changed, unknown } = this.inbox.applyRead(change);
    this.emit('read', { eventIds: change.all ? changed : change.eventIds, all: change.all, cursor: change.cursor });
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
    const run = this.run;
    this.countTimer = this.setTimer(() => {
      this.countTimer = null;
      this.http('GET', `${this.storeUrl}/v1/me/notifications/unread-count`).then(count => {
        if (run === this.run && this.inbox.unread !== count.unread) {
          this.inbox.unread = count.unread;
          this.emit('unread', this.inbox.unread);
        }
      }, () => {});
    }, 200);
  }

  fail(error) {
    this.run++;
    this.cancelTimers();
    this.closeSocket(CloseCodes.NORMAL, 'failed');
    this.setState(States.ERROR, error);
  }

  setState(state, error = null) {
    if (error) {
      this.lastError = error;
    }
    if (state !== this.currentState) {
      this.currentState = state;
      this.emit('state', { state, error });
    }
  }

  emit(event, value) {
    for (const callback of this.listeners.get(event) || []) {
      try {
        callback(value);
      }
      catch (error) {
        setTimeout(() => { throw error; }, 0); // a listener's error must not break the SDK
      }
    }
  }

  cancelTimer() {
    if (this.timer) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
  }

  cancelTimers() {
    this.cancelTimer();
    this.dropWelcome();
    this.dropTokenTimer();
    if (this.countTimer) {
      this.clearTimer(this.countTimer);
      this.countTimer = null;
    }
  }

  closeSocket(code, reason) {
    const socket = this.socket;
    this.socket = null;
    this.resyncPending = false;
    this.movedTo = null;
    if (socket) {
      try {
        socket.close(code, reason);
      }
      catch {
        // already closed
      }
    }
  }
}
