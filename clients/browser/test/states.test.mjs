import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Inbox } from '../src/herald.js';
import { settle } from '../test-support/fakes.mjs';
import { setup, startAndWelcome } from '../test-support/setup.mjs';

// Item states (issue 17): seen and archived, applied to the local model from this tab and from
// `state` frames of other tabs, with the unread and unseen counts kept in step.

const item = (eventId, offset, { read = false, seen = false } = {}) => ({ eventId, cursor: `3-${offset}`, title: eventId, read, seen });

test('Inbox: seen ids lower the unseen count once; seen-all clears up to its cursor; read is untouched', () => {
  const inbox = new Inbox();
  inbox.load([item('c', 3), item('b', 2), item('a', 1, { seen: true })], 3, '3-3', 2);
  assert.equal(inbox.unseen, 2);
  assert.deepEqual(inbox.applySeen({ eventIds: ['b', 'zz'] }), { changed: ['b'], unknown: ['zz'] });
  assert.deepEqual(inbox.applySeen({ eventIds: ['b'] }), { changed: [], unknown: [] });
  assert.equal(inbox.unseen, 1);
  assert.equal(inbox.unread, 3, 'seen is not read');
  inbox.add(item('d', 5));
  assert.equal(inbox.unseen, 2, 'a new item is unseen');
  assert.deepEqual(inbox.applySeen({ all: true, cursor: '3-4' }).changed, ['c']);
  assert.equal(inbox.unseen, 1, 'd came after the seen-all');
});

test('Inbox: an archived item leaves the list and the counts it was in; archive-all read takes only the read', () => {
  const inbox = new Inbox();
  inbox.load([item('d', 4), item('c', 3, { read: true }), item('b', 2, { seen: true }), item('a', 1, { read: true, seen: true })],
    2, '3-4', 2);
  assert.deepEqual(inbox.applyArchive({ eventIds: ['b', 'zz'] }), { changed: ['b'], unknown: ['zz'] });
  assert.deepEqual([inbox.unread, inbox.unseen], [1, 2], 'b was unread and seen');
  inbox.add(item('e', 6, { read: true }));
  assert.deepEqual(inbox.applyArchive({ all: true, scope: 'read', cursor: '3-5' }).changed, ['c', 'a']);
  assert.deepEqual(inbox.items.map(i => i.eventId), ['e', 'd'], 'e is read but came after the archive-all');
  assert.deepEqual([inbox.unread, inbox.unseen], [1, 2]);
  inbox.applyArchive({ all: true, scope: 'all', cursor: '3-6' });
  assert.deepEqual(inbox.items, []);
  assert.deepEqual([inbox.unread, inbox.unseen], [0, 0]);
});

test('Herald: state frames from another tab apply in order: seen lowers unseen, archive hides, unarchive brings it back', async () => {
  const context = setup();
  const { server, herald, events, timers } = context;
  server.publish('e1');
  server.publish('e2');
  const socket = await startAndWelcome(context);
  assert.deepEqual([herald.unreadCount, herald.unseenCount], [2, 2]);

  socket.frame(server.state('seen', ['e1']));
  assert.equal(herald.unseenCount, 1);
  assert.equal(herald.items.find(i => i.eventId === 'e1').seen, true);
  socket.frame(server.state('archived', ['e2']));
  assert.deepEqual(herald.items.map(i => i.eventId), ['e1']);
  assert.deepEqual([herald.unreadCount, herald.unseenCount], [1, 0]);
  socket.frame(server.publish('e3'));
  assert.deepEqual([herald.unreadCount, herald.unseenCount], [2, 1]);

  socket.frame(server.state('unarchived', ['e2']));
  await timers.advance(200);
  await settle();
  assert.deepEqual(herald.items.map(i => i.eventId), ['e3', 'e2', 'e1'], 'the newest page was read again');
  assert.deepEqual([herald.unreadCount, herald.unseenCount], [3, 2]);
  assert.equal(herald.position, server.cursor, 'state frames move the cursor like any other');
  assert.deepEqual(events.seen.map(change => change.eventIds), [['e1']]);
  assert.deepEqual(events.archived.map(change => change.eventIds), [['e2']]);
  assert.deepEqual(events.unarchived.map(change => change.eventIds), [['e2']]);
  socket.frame({ type: 'state', cursor: server.cursor, eventId: 'x', state: 'pinned', eventIds: ['e1'], all: false });
  assert.equal(herald.items.length, 3, 'a state of a later version is ignored');
  herald.stop();
});

test('Herald: markSeen, markAllSeen, archive, unarchive and archiveAllRead apply at once and call the store', async () => {
  const context = setup();
  const { server, herald, timers } = context;
  server.publish('e1');
  server.publish('e2');
  server.publish('e3');
  const socket = await startAndWelcome(context);

  await herald.markSeen(['e1', 'e2']);
  assert.equal(herald.unseenCount, 1);
  await herald.markAllSeen();
  assert.equal(herald.unseenCount, 0);
  await herald.markRead('e1');
  await herald.archiveAllRead();
  assert.deepEqual(herald.items.map(i => i.eventId), ['e3', 'e2']);
  await herald.archive('e2');
  assert.deepEqual(herald.items.map(i => i.eventId), ['e3']);
  assert.equal(herald.unreadCount, 1);
  // The echoes from the gateway change nothing more.
  socket.frame({ type: 'state', cursor: server.cursor, eventId: 'echo', state: 'archived', eventIds: ['e2'], all: false });
  assert.equal(herald.unreadCount, 1);

  const archived = await herald.loadArchived();
  assert.deepEqual(archived.items.map(i => i.eventId), ['e2', 'e1']);
  await herald.unarchive('e2');
  await timers.advance(200);
  await settle();
  assert.deepEqual(herald.items.map(i => i.eventId), ['e3', 'e2']);
  assert.equal(herald.unreadCount, 2);

  const posts = server.requests.filter(r => r.method === 'POST').map(r => r.url.pathname + r.url.search);
  assert.deepEqual(posts, ['/v1/me/notifications/e1/seen', '/v1/me/notifications/e2/seen', '/v1/me/notifications/seen-all',
    '/v1/me/notifications/e1/read', '/v1/me/notifications/archive-all?status=read', '/v1/me/notifications/e2/archive',
    '/v1/me/notifications/e2/unarchive']);
  herald.stop();
});

test('Herald: a channel item is archived by its channel, and seen of an item not held re-reads the counts', async () => {
  const context = setup({ pageSize: 1 });
  const { server, herald, timers } = context;
  server.publish('e1');
  server.publish('e2');
  const socket = await startAndWelcome(context);
  assert.deepEqual(herald.items.map(i => i.eventId), ['e2']);
  socket.frame(server.state('seen', ['e1'])); // older than this tab's page
  assert.equal(herald.unseenCount, 2);
  await timers.advance(200);
  await settle();
  assert.equal(herald.unseenCount, 1);

  await herald.archive('m1', 'system');
  const post = server.requests.filter(r => r.method === 'POST').at(-1);
  assert.equal(post.url.pathname, '/v1/me/notifications/m1/archive');
  assert.equal(post.url.searchParams.get('channel'), 'system');
  herald.stop();
});

test('Herald: an archive the store refuses puts the item back from the newest page', async () => {
  const context = setup();
  const { server, herald, timers } = context;
  server.publish('e1');
  await startAndWelcome(context);
  server.refusePosts = true;
  await assert.rejects(herald.archive('e1'), /HTTP 404/);
  server.refusePosts = false;
  assert.deepEqual(herald.items, [], 'gone at once');
  await timers.advance(200);
  await settle();
  assert.deepEqual(herald.items.map(i => i.eventId), ['e1']);
  herald.stop();
});

test('Inbox: refresh drops an own item that the fresh page\'s range no longer lists (archived meanwhile), keeps the rest', () => {
  const inbox = new Inbox();
  inbox.load([item('d', 4), item('c', 3), item('b', 2), item('a', 1)], 4, '3-4', 4);
  inbox.add(item('live', 9));
  // The fresh page (limit 2) covers 3-3..3-5: c is gone from it, a and b are older than it, live is past it.
  inbox.refresh([item('d', 4, { seen: true })], 3, '3-5', 2, '3-5');
  assert.deepEqual(inbox.items.map(i => i.eventId), ['live', 'd', 'c', 'b', 'a'], 'a page of one item says nothing below it');
  inbox.refresh([item('d', 4, { seen: true }), item('b', 2)], 3, '3-5', 2, '3-5');
  assert.deepEqual(inbox.items.map(i => i.eventId), ['live', 'd', 'b', 'a']);
  assert.equal(inbox.items.find(i => i.eventId === 'd').seen, true);
  assert.deepEqual([inbox.unread, inbox.unseen], [4, 3], 'the server\'s counts and the live item past them');
});
