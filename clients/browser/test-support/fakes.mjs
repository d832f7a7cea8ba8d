// Test doubles for the SDK: timers run by hand, scripted WebSockets, and an in-memory store and
// gateway route behind a fake fetch. No browser, no network.

/** Lets pending promise callbacks run. */
export async function settle() {
  for (let i = 0; i < 10; i++) {
    await new Promise(resolve => setImmediate(resolve));
  }
}

export class FakeTimers {
  constructor() {
    this.now = 0;
    this.queue = [];
    this.seq = 0;
    this.setTimeout = (fn, ms) => {
      const id = ++this.seq;
      this.queue.push({ id, at: this.now + (ms || 0), ms, fn });
      return id;
    };
    this.clearTimeout = id => {
      this.queue = this.queue.filter(timer => timer.id !== id);
    };
  }

  /** Runs every timer due within `ms`, in order, letting promises settle after each. */
  async advance(ms) {
    const end = this.now + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.queue[0];
      if (!next || next.at > end) {
        break;
      }
      this.queue.shift();
      this.now = next.at;
      next.fn();
      await settle();
    }
    this.now = end;
    await settle();
  }

  get pending() {
    return this.queue.map(timer => timer.ms);
  }
}

/** A WebSocket class whose instances the test drives from the server side. */
export function fakeWebSockets() {
  const sockets = [];
  class FakeSocket {
    constructor(url) {
      this.url = url;
      this.sent = [];
      this.closedWith = null;
      sockets.push(this);
    }

    send(text) {
      this.sent.push(JSON.parse(text));
    }

    close(code, reason) {
      this.closedWith = { code, reason };
    }

    // --- the server's side ---
    accept() {
      this.onopen?.();
    }

    frame(json) {
      this.onmessage?.({ data: JSON.stringify(json) });
    }

    serverClose(code, reason = '') {
      this.onclose?.({ code, reason });
    }
  }
  return { FakeSocket, sockets, last: () => sockets[sockets.length - 1] };
}

/**
 * A user's inbox on partition 3, the channel topic (one partition, `0-<offset>@ch1`: the offsets
 * are shared by every channel, as channels share partitions), the store's channel messages, and
 * the gateways' route, behind `fetch`.
 */
export class FakeHerald {
  constructor({ partition = 3, storeUrl = 'http://store', gatewayUrl = 'http://gw-a' } = {}) {
    this.partition = partition;
    this.storeUrl = storeUrl;
    this.gatewayUrl = gatewayUrl;
    this.items = []; // oldest first
    this.offset = 10;
    this.routeUrl = 'ws://gw-a/ws';
    this.routeStatus = 200;
    this.storeDown = false;
    this.refusePosts = false; // while true, the store answers every POST with 404
    this.acceptedTokens = null; // null: any token
    this.storeUpTo = null; // null: the store has applied everything; else the offset it has reached
    this.held = null; // while set (hold()), the store's answers wait for release()
    this.channelEpoch = 'ch1';
    this.channelOffset = 100;
    this.channelItems = []; // every channel's messages, oldest first
    this.channelStoreUpTo = null; // like storeUpTo, for the store's channel messages
    this.requests = [];
    this.preferences = { rules: [], cursor: null, updatedAt: null };
    this.clock = null; // when set, a function giving the time (ms): the store leaves out what expired by then
    this.fetch = (url, init = {}) => this.handle(new URL(url), init);
  }

  get cursor() {
    return `${this.partition}-${this.offset}`;
  }

  /** The store's own position: the stream's, or where it lags (`storeUpTo`). */
  get storeCursor() {
    return `${this.partition}-${this.storeUpTo ?? this.offset}`;
  }

  /** The channel topic's cursor at `offset` (its current end by default). */
  channelCursor(offset = this.channelOffset) {
    return `0-${offset}@${this.channelEpoch}`;
  }

  /** Appends a message to a channel (and to the store); returns the `message` frame the gateway sends. */
  publishToChannel(channel, eventId, title = eventId) {
    this.channelOffset++;
    const item = {
      eventId, channel, cursor: this.channelCursor(), type: 'order.status', title, body: `body of ${eventId}`,
      data: { n: this.channelOffset }, source: 'shop', occurredAt: '2025-01-01T00:00:00Z', acceptedAt: '2025-01-01T00:00:01Z',
    };
    this.channelItems.push(item);
    const { channel: _, cursor, ...event } = item;
    return { type: 'message', channel, cursor, event };
  }

  /** Another channel's message moves the shared position on (the next `subscribed` cursor). */
  advanceChannels(count = 1) {
    this.channelOffset += count;
  }

  /** The store's GETs of a channel's messages: `{ after, before, limit }` each (null when not given). */
  channelReads(channel) {
    return this.requestsTo(`/v1/channels/${encodeURIComponent(channel)}/messages`).map(request => ({
      after: request.url.searchParams.get('after'),
      before: request.url.searchParams.get('before'),
      limit: Number(request.url.searchParams.get('limit')),
    }));
  }

  /** From now on the store answers only after release(). */
  hold() {
    let release;
    this.held = { promise: new Promise(resolve => { release = resolve; }), release };
  }

  release() {
    const held = this.held;
    this.held = null;
    held?.release();
  }

  /** The store's GETs of the inbox list (not the count), with their `before` (null when not given). */
  olderReads() {
    return this.requestsTo('/v1/me/notifications').map(request => request.url.searchParams.get('before'));
  }

  /** The store's GETs of the inbox list (not the count), with their `after` (null for the newest page). */
  inboxReads() {
    return this.requestsTo('/v1/me/notifications').map(request => request.url.searchParams.get('after'));
  }

  /**
   * Appends a notification to the stream and the inbox; returns the event as the socket sends it.
   * `extra` adds fields to both (e.g. `actions`, `expiresAt`).
   */
  publish(eventId, title = eventId, extra = {}) {
    this.offset++;
    const item = { eventId, type: 'chat.message', title, body: '', cursor: this.cursor, read: false, ...extra };
    this.items.push(item);
    return { type: 'notification', cursor: item.cursor, event: { eventId, type: item.type, title, body: '', ...extra } };
  }

  /** Marks ids read in the stream; returns the read frame. */
  read(eventIds, all = false) {
    this.offset++;
    for (const item of this.items) {
      if (all || eventIds.includes(item.eventId)) {
        item.read = true;
      }
    }
    return { type: 'read', cursor: this.cursor, eventId: `r-${this.offset}`, eventIds: all ? [] : eventIds, all };
  }

  /**
   * Changes an item state in the stream (`seen`, `archived`, `unarchived`); returns the `state`
   * frame. With `all`, every item so far (for `archived` with `scope` `read`, the read ones).
   */
  state(state, eventIds, { all = false, scope = null } = {}) {
    this.offset++;
    for (const item of this.items) {
      if (!(all ? state !== 'archived' || scope !== 'read' || item.read : eventIds.includes(item.eventId))) {
        continue;
      }
      if (state === 'seen') {
        item.seen = true;
      }
      else {
        item.archived = state === 'archived';
      }
    }
    return { type: 'state', cursor: this.cursor, eventId: `s-${this.offset}`, state, eventIds: all ? [] : eventIds, all,
      ...(scope ? { scope } : {}) };
  }

  requestsTo(path) {
    return this.requests.filter(request => request.url.pathname === path);
  }

  /** A page of a channel's messages, as the store answers GET /v1/channels/{channel}/messages. */
  channelPage(channel, params) {
    const offsetOf = cursor => Number(cursor.split('@')[0].split('-')[1]);
    const limit = Number(params.get('limit') || 50);
    const after = params.get('after');
    const before = params.get('before');
    for (const cursor of [after, before]) {
      if (cursor && !cursor.startsWith('0-')) {
        return reply(400, { detail: 'not a cursor of this channel' });
      }
    }
    const applied = this.channelItems.filter(item => item.channel === channel
        && (this.channelStoreUpTo === null || offsetOf(item.cursor) <= this.channelStoreUpTo));
    let page;
    if (after) {
      page = applied.filter(item => offsetOf(item.cursor) > offsetOf(after));
    }
    else {
      page = applied.filter(item => !before || offsetOf(item.cursor) < offsetOf(before)).reverse();
    }
    const next = page.length > limit ? page[limit - 1].cursor : null;
    return reply(200, {
      items: page.slice(0, limit).map(item => ({ ...item })),
      next,
      cursor: this.channelCursor(this.channelStoreUpTo ?? this.channelOffset),
    });
  }

  async handle(url, init) {
    const method = init.method || 'GET';
    const token = (init.headers?.Authorization || '').replace(/^Bearer /, '');
    this.requests.push({ method, url, token, body: init.body, contentType: init.headers?.['Content-Type'] });
    if (this.acceptedTokens && !this.acceptedTokens.includes(token)) {
      return reply(401, { detail: 'token expired' });
    }
    const path = url.pathname;
    if (url.origin === this.gatewayUrl && path === '/v1/route') {
      return this.routeStatus === 200 ? reply(200, { url: this.routeUrl, partition: this.partition })
        : reply(this.routeStatus, { detail: 'rebalancing' });
    }
    if (url.origin !== this.storeUrl) {
      throw new TypeError('fetch failed');
    }
    if (this.storeDown) {
      throw new TypeError('fetch failed');
    }
    if (this.held) {
      await this.held.promise;
    }
    // What the store has applied: the stream up to its position.
    const stored = this.items.filter(item => (this.storeUpTo === null || Number(item.cursor.split('-')[1]) <= this.storeUpTo)
        && !(this.clock && item.expiresAt && Date.parse(item.expiresAt) <= this.clock()));
    // The default list and the counts leave archived items out; status=archived lists only them.
    const archivedOnly = url.searchParams.get('status') === 'archived';
    const applied = stored.filter(item => Boolean(item.archived) === archivedOnly);
    if (path === '/v1/me/notifications' && method === 'GET' && (url.searchParams.has('type') || url.searchParams.has('tag'))) {
      // A filtered page (tabs): the user's own items of that type or tag, newest first, by offset.
      const filter = url.searchParams.has('type') ? `type:${url.searchParams.get('type')}` : `tag:${url.searchParams.get('tag')}`;
      const limit = Number(url.searchParams.get('limit') || 50);
      const before = url.searchParams.get('before');
      const page = applied.filter(item => !item.channel && matchesFilter(filter, item)
        && (!before || Number(item.cursor.split('-')[1]) < Number(before.split('-')[1]))).reverse();
      const next = page.length > limit ? page[limit - 1].cursor : null;
      return reply(200, { items: page.slice(0, limit).map(item => ({ ...item })), next, cursor: this.storeCursor });
    }
    if (path === '/v1/me/notifications' && method === 'GET') {
      const limit = Number(url.searchParams.get('limit') || 50);
      const after = url.searchParams.get('after');
      let page;
      if (after) {
        if (!after.startsWith(`${this.partition}-`)) {
          return reply(400, { detail: 'not this user\'s stream' });
        }
        const afterOffset = Number(after.split('-')[1]);
        page = applied.filter(item => Number(item.cursor.split('-')[1]) > afterOffset);
      }
      else {
        const before = url.searchParams.get('before');
        if (before && !before.startsWith(`${this.partition}-`)) {
          return reply(400, { detail: 'not this user\'s stream' });
        }
        // (Items of inbox channels have no cursor of the user's stream: only the newest page has them here.)
        page = applied.filter(item => !before || (item.cursor && Number(item.cursor.split('-')[1]) < Number(before.split('-')[1])))
          .reverse();
      }
      const next = page.length > limit ? page[limit - 1].cursor : null;
      return reply(200, { items: page.slice(0, limit).map(item => ({ ...item })), next, cursor: this.storeCursor });
    }
    const channelPath = /^\/v1\/channels\/([^/]+)\/messages$/.exec(path);
    if (channelPath && method === 'GET') {
      return this.channelPage(decodeURIComponent(channelPath[1]), url.searchParams);
    }
    if (path === '/v1/me/notifications/counts' && method === 'GET') {
      const own = applied.filter(item => !item.channel);
      const counts = url.searchParams.getAll('filter').map(filter => {
        const matching = filter === 'all' ? applied : own.filter(item => matchesFilter(filter, item));
        return { filter, unread: matching.filter(item => !item.read).length, unseen: matching.filter(item => !item.seen).length };
      });
      return reply(200, { counts, cursor: this.storeCursor });
    }
    if (path === '/v1/me/notifications/unread-count') {
      return reply(200, { unread: applied.filter(item => !item.read).length, unseen: applied.filter(item => !item.seen).length });
    }
    if (this.refusePosts && method === 'POST') {
      return reply(404, { detail: 'no notification here' });
    }
    const counts = () => {
      const shown = this.items.filter(item => !item.archived);
      return { applied: true, unread: shown.filter(item => !item.read).length, unseen: shown.filter(item => !item.seen).length };
    };
    if (path === '/v1/me/notifications/seen-all' && method === 'POST') {
      this.state('seen', [], { all: true });
      return reply(200, counts());
    }
    if (path === '/v1/me/notifications/archive-all' && method === 'POST') {
      this.state('archived', [], { all: true, scope: url.searchParams.get('status') || 'read' });
      return reply(200, counts());
    }
    const change = /^\/v1\/me\/notifications\/([^/]+)\/(seen|archive|unarchive)$/.exec(path);
    if (change && method === 'POST') {
      this.state({ seen: 'seen', archive: 'archived', unarchive: 'unarchived' }[change[2]], [decodeURIComponent(change[1])]);
      return reply(200, counts());
    }
    if (path === '/v1/me/notifications/read-all' && method === 'POST') {
      this.read([], true);
      return reply(200, { applied: true, unread: 0 });
    }
    const read = /^\/v1\/me\/notifications\/([^/]+)\/read$/.exec(path);
    if (read && method === 'POST') {
      this.read([decodeURIComponent(read[1])]);
      return reply(200, { applied: true, unread: this.items.filter(item => !item.read).length });
    }
    if (path === '/v1/me/preferences' && method === 'GET') {
      return reply(200, this.preferences);
    }
    if (path === '/v1/me/preferences' && method === 'PUT') {
      const { rules } = JSON.parse(init.body);
      const bad = rules.findIndex(rule => typeof rule.mute !== 'boolean');
      if (rules.length > 50 || bad >= 0) {
        return reply(400, { detail: rules.length > 50 ? 'rules: must hold at most 50 rules' : `rules[${bad}].mute: is required` });
      }
      this.offset++;
      this.preferences = { rules, cursor: this.cursor, updatedAt: '2025-01-01T00:00:00Z' };
      return reply(200, { eventId: `p-${this.offset}`, cursor: this.cursor, applied: true, rules });
    }
    return reply(404, { detail: 'no such endpoint' });
  }
}

/** The store's filter rule: `type:x` exactly, `type:x.*` types starting `x.`, `tag:t` items sent with tag t. */
function matchesFilter(filter, item) {
  if (filter.startsWith('tag:')) {
    return (item.tags || []).includes(filter.slice(4));
  }
  const type = filter.slice(5);
  return type.endsWith('.*') ? (item.type || '').startsWith(type.slice(0, -1)) : item.type === type;
}

function reply(status, body) {
  return { status, ok: status >= 200 && status < 300, json: async () => body };
}
