import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Inbox, RecentIds } from '../src/herald.js';
import { settle } from '../test-support/fakes.mjs';
import { setup, startAndWelcome } from '../test-support/setup.mjs';

const item = (eventId, offset, read = false) => ({ eventId, cursor: `3-${offset}`, title: eventId, read });

test('RecentIds drops repeats and forgets the oldest ids beyond its bound', () => {
  const ids = new RecentIds(3);
  assert.ok(ids.add('a'));
  assert.ok(!ids.add('a'));
  ids.add('b');
  ids.add('c');
  ids.add('d');
  assert.equal(ids.size, 3);
  assert.ok(!ids.has('a'));
  assert.ok(ids.has('d'));
});

test('Inbox: new unread items raise the count, repeats change nothing, items stay newest first and bounded', () => {
  const inbox = new Inbox({ maxItems: 3 });
  inbox.load([item('b', 2), item('a', 1, true)], 1, '3-2');
  assert.equal(inbox.unread, 1); // the server's count already covers the page
  assert.ok(inbox.add(item('c', 3)));
  assert.ok(!inbox.add(item('c', 3)));
  assert.ok(!inbox.add(item('a', 1)));
  assert.equal(inbox.unread, 2);
  inbox.add(item('d', 4, true));
  assert.deepEqual(inbox.items.map(i => i.eventId), ['d', 'c', 'b']);
  assert.equal(inbox.unread, 2);
});

test('Inbox: an item the count already covers is not counted twice', () => {
  const inbox = new Inbox();
  inbox.load([], 5, '3-20');
  inbox.add(item('old', 19));
  assert.equal(inbox.unread, 5);
  inbox.add(item('new', 21));
  assert.equal(inbox.unread, 6);
});

test('Inbox: a count older than the page adds the page\'s newer unread items', () => {
  const inbox = new Inbox();
  inbox.load([item('c', 12), item('b', 11), item('a', 10)], 1, '3-10');
  assert.equal(inbox.unread, 3);
});

test('Inbox: read ids lower the count once; read-all clears up to its cursor; unknown ids are reported', () => {
  const inbox = new Inbox();
  inbox.load([item('c', 3), item('b', 2), item('a', 1)], 3, '3-3');
  assert.deepEqual(inbox.applyRead({ eventIds: ['a', 'zz'] }), { changed: ['a'], unknown: ['zz'] });
  assert.deepEqual(inbox.applyRead({ eventIds: ['a'] }), { changed: [], unknown: [] });
  assert.equal(inbox.unread, 2);
  inbox.add(item('d', 5));
  assert.equal(inbox.unread, 3);
  // read-all at 3-4 covers a, b, c but not d (a later event)
  assert.deepEqual(inbox.applyRead({ all: true, cursor: '3-4' }).changed, ['c', 'b']);
  assert.equal(inbox.unread, 1);
  assert.deepEqual(inbox.items.filter(i => !i.read).map(i => i.eventId), ['d']);
});

test('Inbox: reload starts over from a page but keeps live items past its cursor, and returns the unseen ones', () => {
  const inbox = new Inbox();
  inbox.load([item('b', 2), item('a', 1)], 2, '3-2');
  inbox.add(item('live', 9));
  const unseen = inbox.reload([item('c', 5), item('b', 2, true)], 1, '3-5', '3-5');
  assert.deepEqual(inbox.items.map(i => i.eventId), ['live', 'c', 'b']);
  assert.deepEqual(unseen.map(i => i.eventId), ['c']);
  assert.equal(inbox.unread, 2); // the store's 1 (c) and the live item past its position
  inbox.reload([], 0, '3-9@new', '3-9@new');
  assert.deepEqual(inbox.items, [], 'an item of another epoch is not kept');
});

test('Inbox: refresh takes the server\'s count and adds the unread items held past its position', () => {
  const inbox = new Inbox();
  inbox.load([item('b', 2), item('a', 1)], 2, '3-2');
  inbox.add(item('c', 3));
  inbox.add(item('d', 4));
  inbox.refresh([item('c', 3), item('b', 2, true), item('a', 1)], 2, '3-3');
  assert.equal(inbox.items.find(i => i.eventId === 'b').read, true);
  assert.equal(inbox.unread, 3); // a and c in the server's count, d after it
});

test('drops a notification whose eventId it has seen: in the inbox, replayed, or redelivered', async () => {
  const context = setup();
  const { server, ws, herald, events, timers } = context;
  server.publish('e1');
  const first = await startAndWelcome(context);
  const e2 = server.publish('e2');
  first.frame(e2);
  first.frame(e2);
  first.frame({ type: 'notification', cursor: '3-11', event: { eventId: 'e1', title: 'again' } });
  assert.deepEqual(events.notification.map(n => n.eventId), ['e2']);
  first.serverClose(1006);
  await timers.advance(timers.pending[0]);
  const second = ws.last();
  second.accept();
  second.frame({ type: 'welcome', partition: 3, cursor: '3-12' });
  second.frame(e2); // a gateway replaying from an older cursor
  second.frame(server.publish('e3'));
  assert.deepEqual(events.notification.map(n => n.eventId), ['e2', 'e3']);
  assert.equal(herald.unreadCount, 3);
  assert.deepEqual(herald.items.map(i => i.eventId), ['e3', 'e2', 'e1']);
  herald.stop();
});

test('keeps the unread count in step with read frames from other tabs and with new notifications', async () => {
  const context = setup();
  const { server, herald, events } = context;
  server.publish('e1');
  server.publish('e2');
  const socket = await startAndWelcome(context);
  assert.equal(herald.unreadCount, 2);
  socket.frame(server.publish('e3'));
  assert.equal(herald.unreadCount, 3);
  socket.frame(server.read(['e2'])); // another tab read e2
  assert.equal(herald.unreadCount, 2);
  assert.equal(herald.items.find(i => i.eventId === 'e2').read, true);
  socket.frame(server.read(['e2'])); // the same change again changes nothing
  assert.equal(herald.unreadCount, 2);
  socket.frame(server.read([], true));
  assert.equal(herald.unreadCount, 0);
  assert.ok(herald.items.every(i => i.read));
  socket.frame(server.publish('e4'));
  assert.equal(herald.unreadCount, 1);
  assert.deepEqual(events.unread, [2, 3, 2, 0, 1]);
  assert.deepEqual(events.read.map(r => r.all), [false, false, true]);
  herald.stop();
});

test('markRead is applied at once, and the echo from the gateway does not count twice', async () => {
  const context = setup();
  const { server, herald } = context;
  server.publish('e1');
  server.publish('e2');
  const socket = await startAndWelcome(context);
  await herald.markRead('e1');
  assert.equal(herald.unreadCount, 1);
  const post = server.requests.find(r => r.method === 'POST');
  assert.equal(post.url.pathname, '/v1/me/notifications/e1/read');
  socket.frame({ type: 'read', cursor: server.cursor, eventId: 'r', eventIds: ['e1'], all: false });
  assert.equal(herald.unreadCount, 1);
  await herald.markAllRead();
  assert.equal(herald.unreadCount, 0);
  assert.ok(server.requests.some(r => r.url.pathname === '/v1/me/notifications/read-all'));
  herald.stop();
});

test('a read of an item this tab does not hold re-reads the count from the store', async () => {
  const context = setup({ pageSize: 1 });
  const { server, herald, timers } = context;
  server.publish('e1');
  server.publish('e2');
  const socket = await startAndWelcome(context);
  assert.deepEqual(herald.items.map(i => i.eventId), ['e2']);
  assert.equal(herald.unreadCount, 2);
  socket.frame(server.read(['e1'])); // e1 is older than this tab's page
  assert.equal(herald.unreadCount, 2);
  await timers.advance(200);
  await settle();
  assert.equal(herald.unreadCount, 1);
  herald.stop();
});

test('one eventId from two sources is two notifications; from one source twice, one', () => {
  const inbox = new Inbox();
  assert.ok(inbox.add({ ...item('order-42', 1), source: 'shop' }));
  assert.ok(inbox.add({ ...item('order-42', 2), source: 'billing' }), 'another service, another notification');
  assert.ok(!inbox.add({ ...item('order-42', 3), source: 'shop' }), 'a retry of the first');
  assert.equal(inbox.list.length, 2);
  assert.equal(inbox.unread, 2);
});

const channelItem = (eventId, acceptedAt, read = false) => ({ eventId, channel: 'system', cursor: null,
  channelCursor: `1-${eventId.length}`, title: eventId, source: 'ops', acceptedAt, read });

test('Inbox: an inbox-channel item is one of its own, counted by the server, ordered by acceptance among own items', () => {
  const inbox = new Inbox();
  const own = { ...item('a', 1), acceptedAt: '2026-12-02T10:00:00Z', source: 'ops' };
  const newer = { ...item('b', 2), acceptedAt: '2026-12-02T10:00:02Z' };
  // The same eventId from the same source in a channel and among the user's own: two items.
  const alert = channelItem('a', '2026-12-02T10:00:01Z');
  inbox.load([newer, alert, own], 3, '3-2');
  assert.deepEqual(inbox.items.map(i => `${i.channel ?? ''}/${i.eventId}`), ['/b', 'system/a', '/a']);
  assert.equal(inbox.unread, 3); // the page's channel item is in the server's count
  assert.ok(!inbox.add(channelItem('a', '2026-12-02T10:00:01Z')));
  inbox.add({ ...item('c', 3), acceptedAt: '2026-12-02T10:00:03Z' });
  assert.equal(inbox.items[0].eventId, 'c');
  assert.equal(inbox.unread, 4);

  const { changed } = inbox.applyRead({ eventIds: ['a'], channel: 'system' });
  assert.deepEqual(changed, ['a']);
  assert.equal(inbox.items.find(i => i.channel === 'system').read, true);
  assert.equal(inbox.items.find(i => i.eventId === 'a' && !i.channel).read, false, 'a read of the channel item only');
  assert.equal(inbox.unread, 3);
  inbox.applyRead({ eventIds: ['a'] });
  assert.equal(inbox.items.find(i => i.eventId === 'a' && !i.channel).read, true);
  inbox.add(channelItem('z', '2026-12-02T10:00:04Z'));
  inbox.applyRead({ all: true, cursor: '3-3' });
  assert.equal(inbox.unread, 0, 'read-all covers the channel items held');
});

test('Herald: markRead of a channel item names its channel to the store, and a read frame with a channel marks only it', async () => {
  const context = setup();
  const { server, herald } = context;
  server.publish('m1');
  // An inbox-channel message with the same eventId, as the store lists it: no cursor of the user's stream.
  server.items.push(channelItem('m1', '2026-12-02T10:00:01Z'));
  const socket = await startAndWelcome(context);
  assert.equal(herald.unreadCount, 2);
  await herald.markRead('m1', 'system');
  const post = server.requests.find(r => r.method === 'POST');
  assert.equal(post.url.pathname, '/v1/me/notifications/m1/read');
  assert.equal(post.url.searchParams.get('channel'), 'system');
  assert.equal(herald.unreadCount, 1);
  assert.equal(herald.inbox.items.find(i => !i.channel).read, false);
  socket.frame({ type: 'read', cursor: server.cursor, eventId: 'r', eventIds: ['m1'], all: false, channel: 'system' });
  assert.equal(herald.unreadCount, 1, 'the echo of the channel read changes nothing more');
  socket.frame({ type: 'read', cursor: server.cursor, eventId: 'r2', eventIds: ['m1'], all: false });
  assert.equal(herald.unreadCount, 0);
  herald.stop();
});
