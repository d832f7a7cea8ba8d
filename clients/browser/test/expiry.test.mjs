import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Inbox } from '../src/inbox.js';
import { settle } from '../test-support/fakes.mjs';
import { setup, startAndWelcome } from '../test-support/setup.mjs';

/** An instant `ms` after the epoch, where the fake timers' clock starts. */
const at = ms => new Date(ms).toISOString();

const ACTIONS = [
  { id: 'open', label: 'Open order', url: 'https://shop.example/orders/42' },
  { id: 'archive', label: 'Archive', action: 'archive' },
];

test('the inbox drops what expired, unread ones off the count, and knows the next expiry', () => {
  const inbox = new Inbox();
  inbox.load([
    { eventId: 'c', cursor: '3-3', read: false, expiresAt: at(9000) },
    { eventId: 'b', cursor: '3-2', read: true, expiresAt: at(5000) },
    { eventId: 'a', cursor: '3-1', read: false, expiresAt: at(5000) },
    { eventId: 'z', cursor: '3-0', read: false },
  ], 3, '3-3');
  assert.equal(inbox.nextExpiry(), 5000);
  assert.deepEqual(inbox.expire(4999), []);
  assert.deepEqual(inbox.expire(5000).map(item => item.eventId), ['b', 'a']);
  assert.deepEqual(inbox.items.map(item => item.eventId), ['c', 'z']);
  assert.equal(inbox.unread, 2, 'a was unread, b read');
  assert.equal(inbox.nextExpiry(), 9000);
  inbox.expire(9000);
  assert.equal(inbox.unread, 1);
  assert.equal(inbox.nextExpiry(), null);
});

test('items leave the list and the count when their time passes, and the count agrees with the store', async () => {
  const context = setup();
  const { server, herald, timers, events } = context;
  context.herald.now = () => timers.now;
  server.clock = () => timers.now;
  server.publish('stays');
  server.publish('soon', 'Soon', { expiresAt: at(5000), actions: ACTIONS });
  const socket = await startAndWelcome(context);
  const expired = [];
  herald.on('expired', items => expired.push(items.map(item => item.eventId)));
  assert.deepEqual(herald.items.map(item => item.eventId), ['soon', 'stays']);
  assert.deepEqual(herald.items[0].actions, ACTIONS);
  assert.equal(herald.unreadCount, 2);

  socket.frame(server.publish('later', 'Later', { expiresAt: at(8000) }));
  assert.equal(herald.unreadCount, 3);
  assert.equal(events.notification.at(-1).expiresAt, at(8000));

  await timers.advance(5000);
  assert.deepEqual(expired, [['soon']]);
  assert.deepEqual(herald.items.map(item => item.eventId), ['later', 'stays']);
  assert.equal(herald.unreadCount, 2);
  await timers.advance(3000);
  assert.deepEqual(expired, [['soon'], ['later']]);
  assert.deepEqual(herald.items.map(item => item.eventId), ['stays']);
  assert.equal(events.unread.at(-1), 1);
  assert.equal(herald.unreadCount, 1, 'the count read again from the store says the same');
  assert.ok(server.requestsTo('/v1/me/notifications/unread-count').length >= 2, 'the count was read again');
  herald.stop();
  assert.deepEqual(timers.pending, []);
});

test('a notification that expired on its way is not shown', async () => {
  const context = setup();
  const { server, herald, timers, events } = context;
  timers.now = 10_000;
  context.herald.now = () => timers.now;
  const socket = await startAndWelcome(context);
  socket.frame(server.publish('stale', 'Stale', { expiresAt: at(9000) }));
  socket.frame(server.publish('fresh', 'Fresh', { expiresAt: at(20_000) }));
  await settle();
  assert.deepEqual(events.notification.map(item => item.eventId), ['fresh']);
  assert.deepEqual(herald.items.map(item => item.eventId), ['fresh']);
  assert.equal(herald.unreadCount, 1);
  herald.stop();
});

test('act() hands a named action to the action listeners and only returns a URL action', async () => {
  const context = setup();
  const { server, herald } = context;
  server.publish('n1', 'With buttons', { actions: ACTIONS });
  await startAndWelcome(context);
  const performed = [];
  herald.on('action', value => performed.push(value));
  const [item] = herald.items;

  assert.deepEqual(herald.act(item, 'archive'), ACTIONS[1]);
  assert.equal(performed.length, 1);
  assert.equal(performed[0].item.eventId, 'n1');
  assert.deepEqual(performed[0].action, ACTIONS[1]);
  assert.deepEqual(herald.act(item, 'open'), ACTIONS[0]);
  assert.equal(performed.length, 1, 'a URL action is opened by the caller, not announced');
  assert.equal(herald.act(item, 'nope'), null);
  assert.equal(herald.act({ eventId: 'x' }, 'archive'), null);
  herald.stop();
});
