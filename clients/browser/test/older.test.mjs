import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Inbox } from '../src/herald.js';
import { settle } from '../test-support/fakes.mjs';
import { setup, startAndWelcome } from '../test-support/setup.mjs';

const ids = items => items.map(item => item.eventId);
const range = (from, to) => Array.from({ length: from - to + 1 }, (_, i) => `e${from - i}`); // newest first

/** A context whose store holds e1..e<count> (oldest first), all unread. */
function seeded(count, options) {
  const context = setup(options);
  for (let i = 1; i <= count; i++) {
    context.server.publish(`e${i}`);
  }
  return context;
}

test('loadOlder pages back through the inbox with before=<next> until nothing is older, each item once', async () => {
  const context = seeded(12, { pageSize: 5 });
  const { herald, server, events } = context;
  await startAndWelcome(context);
  assert.deepEqual(ids(herald.items), range(12, 8));
  assert.equal(herald.hasOlder, true);
  const unread = herald.unreadCount;
  const notifications = events.notification.length;

  const second = await herald.loadOlder();
  assert.deepEqual(ids(second), range(7, 3));
  assert.deepEqual(ids(herald.items), range(12, 3));
  assert.deepEqual(ids(events.items.at(-1)), range(12, 3));
  assert.equal(herald.hasOlder, true);

  const third = await herald.loadOlder();
  assert.deepEqual(ids(third), ['e2', 'e1']);
  assert.equal(herald.hasOlder, false);
  assert.deepEqual(ids(herald.items), range(12, 1));
  // Each page was read before the oldest item of the one before it.
  assert.deepEqual(server.olderReads(), [null, server.items[7].cursor, server.items[2].cursor]);

  assert.deepEqual(await herald.loadOlder(), []);
  assert.equal(server.olderReads().length, 3, 'no request once nothing is older');
  assert.equal(herald.unreadCount, unread, 'the store\'s count already covered the older items');
  assert.equal(events.notification.length, notifications, 'older items are not new notifications');

  await herald.markRead('e1');
  assert.equal(herald.unreadCount, unread - 1);
  assert.equal(herald.items.at(-1).read, true);
});

test('concurrent loadOlder calls share one request', async () => {
  const context = seeded(8, { pageSize: 3 });
  const { herald, server } = context;
  await startAndWelcome(context);
  server.hold();
  const first = herald.loadOlder();
  const second = herald.loadOlder();
  assert.equal(first, second);
  server.release();
  assert.deepEqual(ids(await first), range(5, 3));
  assert.equal(server.olderReads().filter(before => before !== null).length, 1);
  assert.deepEqual(ids(herald.items), range(8, 3));
});

test('older pages the user asked for are kept beyond maxItems, and live items still fit above them', async () => {
  const context = seeded(12, { pageSize: 5, maxItems: 6 });
  const { herald, server, ws } = context;
  await startAndWelcome(context);
  await herald.loadOlder();
  await herald.loadOlder();
  assert.deepEqual(ids(herald.items), range(12, 1));
  ws.last().frame(server.publish('e13'));
  await settle();
  assert.deepEqual(ids(herald.items), range(13, 1));
});

test('after live items pushed the oldest out, loadOlder reads from the top again and fills in below, without a hole', async () => {
  const context = seeded(12, { pageSize: 5, maxItems: 5 });
  const { herald, server, ws } = context;
  await startAndWelcome(context);
  ws.last().frame(server.publish('e13'));
  ws.last().frame(server.publish('e14'));
  await settle();
  assert.deepEqual(ids(herald.items), range(14, 10), 'e9 and e8 were pushed out');
  assert.equal(herald.hasOlder, true);
  const added = await herald.loadOlder();
  assert.deepEqual(ids(added), range(9, 5));
  assert.deepEqual(ids(herald.items), range(14, 5));
  assert.deepEqual(ids(await herald.loadOlder()), range(4, 1) .slice(0, 4));
  assert.deepEqual(ids(herald.items), range(14, 1));
  assert.equal(herald.hasOlder, false);
});

test('an inbox reloaded while an older page was read does not get that page', async () => {
  const context = seeded(8, { pageSize: 3 });
  const { herald, server } = context;
  await startAndWelcome(context);
  server.hold();
  const older = herald.loadOlder();
  await settle();
  herald.inbox.load(server.items.slice(-2).reverse(), 2, server.cursor); // as a resync's reload does
  server.release();
  assert.deepEqual(await older, []);
  assert.deepEqual(ids(herald.items), ['e8', 'e7']);
});

test('Inbox.addOlder skips items held, puts the others below, and keeps them past maxItems', () => {
  const inbox = new Inbox({ maxItems: 2 });
  inbox.load([{ eventId: 'b', cursor: '3-2' }, { eventId: 'a', cursor: '3-1' }], 0, '3-2');
  const added = inbox.addOlder([{ eventId: 'a', cursor: '3-1' }, { eventId: 'z', cursor: '3-0', read: true }]);
  assert.deepEqual(ids(added), ['z']);
  assert.deepEqual(ids(inbox.items), ['b', 'a', 'z']);
  assert.equal(inbox.unread, 0);
  assert.equal(inbox.add({ eventId: 'z', cursor: '3-0' }), false, 'an older item is seen like any other');
});
