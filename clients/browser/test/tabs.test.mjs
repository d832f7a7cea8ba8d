import { test } from 'node:test';
import assert from 'node:assert/strict';

import { settle } from '../test-support/fakes.mjs';
import { setup, startAndWelcome } from '../test-support/setup.mjs';

// Tabs and counts (issue 17 item 2): herald.counts(filters) in one call, herald.list({ type, tag })
// for a tab's pages, and tags on live items.

function tag(server, eventId, type, tags) {
  const item = server.items.find(i => i.eventId === eventId);
  item.type = type;
  item.tags = tags;
}

test('Herald: counts asks for every filter in one call and answers in the order asked', async () => {
  const context = setup();
  const { server, herald } = context;
  for (const id of ['e1', 'e2', 'e3']) {
    server.publish(id);
  }
  tag(server, 'e1', 'order.shipped', ['vip']);
  tag(server, 'e2', 'order.paid', []);
  tag(server, 'e3', 'orders.new', ['vip']);
  await startAndWelcome(context);
  await herald.markRead('e2');

  const answer = await herald.counts(['type:order.*', 'tag:vip', 'all', 'type:order.shipped']);
  assert.deepEqual(answer.counts, [
    { filter: 'type:order.*', unread: 1, unseen: 2 },
    { filter: 'tag:vip', unread: 2, unseen: 2 },
    { filter: 'all', unread: 2, unseen: 3 },
    { filter: 'type:order.shipped', unread: 1, unseen: 1 },
  ]);
  assert.equal(answer.cursor, server.storeCursor);
  const asked = server.requestsTo('/v1/me/notifications/counts');
  assert.equal(asked.length, 1, 'one call for all filters');
  assert.deepEqual(asked[0].url.searchParams.getAll('filter'), ['type:order.*', 'tag:vip', 'all', 'type:order.shipped']);
  await assert.rejects(herald.counts([]), /one or more filters/);
  herald.stop();
});

test('Herald: list pages a tab by type prefix or tag, and leaves the held items alone', async () => {
  const context = setup();
  const { server, herald } = context;
  for (const id of ['e1', 'e2', 'e3', 'e4']) {
    server.publish(id);
  }
  tag(server, 'e1', 'order.shipped', ['vip']);
  tag(server, 'e3', 'order.paid', []);
  tag(server, 'e4', 'order.shipped', []);
  await startAndWelcome(context);

  const first = await herald.list({ type: 'order.*', limit: 2 });
  assert.deepEqual(first.items.map(i => i.eventId), ['e4', 'e3']);
  const second = await herald.list({ type: 'order.*', limit: 2, before: first.next });
  assert.deepEqual(second.items.map(i => i.eventId), ['e1']);
  assert.equal(second.next, null);
  const vip = await herald.list({ tag: 'vip', status: 'unread' });
  assert.deepEqual(vip.items.map(i => i.eventId), ['e1']);
  const last = server.requestsTo('/v1/me/notifications').at(-1).url.searchParams;
  assert.deepEqual([last.get('tag'), last.get('status'), last.has('type')], ['vip', 'unread', false]);
  assert.deepEqual(herald.items.map(i => i.eventId), ['e4', 'e3', 'e2', 'e1'], 'the held items are the unfiltered inbox');
  herald.stop();
});

test('Herald: a live notification carries its tags, and none as an empty list', async () => {
  const context = setup();
  const { server, herald } = context;
  const socket = await startAndWelcome(context);
  const frame = server.publish('live');
  frame.event.tags = ['vip', 'eu'];
  socket.frame(frame);
  socket.frame(server.publish('plain'));
  await settle();
  assert.deepEqual(herald.items.find(i => i.eventId === 'live').tags, ['vip', 'eu']);
  assert.deepEqual(herald.items.find(i => i.eventId === 'plain').tags, []);
  herald.stop();
});
