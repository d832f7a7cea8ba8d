import { test } from 'node:test';
import assert from 'node:assert/strict';

import { settle } from '../test-support/fakes.mjs';
import { setup, startAndWelcome } from '../test-support/setup.mjs';

const ids = items => items.map(item => item.eventId);

/** Opens, loses the socket, and returns the next one (accepted, not yet welcomed). */
async function reconnected(context) {
  await startAndWelcome(context);
  context.ws.last().serverClose(1006);
  await context.timers.advance(context.timers.pending[0]);
  context.ws.last().accept();
  return context.ws.last();
}

test('resync: live events show at once while the gap fills from the inbox in the background, in cursor order, once each', async () => {
  const context = setup();
  const { server, ws, timers, herald, events, logged } = context;
  server.publish('e1'); // 3-11
  const socket = await reconnected(context);
  assert.equal(socket.sent[0].since, '3-11');
  server.publish('e2');
  server.publish('e3');
  server.publish('e4'); // 3-14: the gateway's history starts after it
  server.storeUpTo = 12; // the store lags: it has e2 only
  server.hold();
  socket.frame({ type: 'resync', since: '3-11', partition: 3, reason: 'older than the history', from: '3-11', to: '3-14' });
  socket.frame({ type: 'welcome', partition: 3, cursor: '3-14', replay: 0 });
  socket.frame(server.publish('e5')); // live, 3-15
  assert.equal(herald.state, 'open');
  assert.deepEqual(ids(events.notification), ['e5'], 'shown before the inbox answered');
  assert.deepEqual(ids(herald.items), ['e5', 'e1']);
  assert.equal(herald.gaps, 1);
  assert.deepEqual(events.gap, [{ from: '3-11', to: '3-14', filled: false }]);
  assert.equal(herald.position, '3-15', 'the socket\'s cursor moves on past the gap');

  server.release();
  await settle();
  assert.deepEqual(ids(herald.items), ['e5', 'e2', 'e1'], 'a gap item goes where its cursor puts it');
  assert.equal(herald.gaps, 1, 'the inbox\'s cursor (3-12) has not reached 3-14');
  assert.deepEqual(timers.pending, [250], 'looks again after a back-off');

  server.storeUpTo = 13;
  await timers.advance(250);
  assert.deepEqual(ids(herald.items), ['e5', 'e3', 'e2', 'e1']);
  assert.deepEqual(timers.pending, [500], 'still behind: the back-off grows');

  // A reconnect meanwhile resumes from the socket's own cursor and keeps the gap.
  socket.serverClose(1001);
  await settle();
  assert.equal(herald.gaps, 1);
  await timers.advance(250);
  const next = ws.last();
  assert.notEqual(next, socket);
  next.accept();
  assert.equal(next.sent[0].since, '3-15');
  next.frame({ type: 'welcome', partition: 3, cursor: '3-15', replay: 0 });

  server.storeUpTo = null; // caught up: 3-15
  await timers.advance(250);
  assert.equal(herald.gaps, 0);
  assert.deepEqual(events.gap.at(-1), { from: '3-11', to: '3-14', filled: true });
  assert.deepEqual(ids(herald.items), ['e5', 'e4', 'e3', 'e2', 'e1']);
  assert.deepEqual(ids(events.notification), ['e5', 'e2', 'e3', 'e4'], 'each once');
  assert.equal(herald.unreadCount, 5);
  assert.deepEqual(server.inboxReads().filter(after => after), ['3-11', '3-12', '3-13']);
  assert.deepEqual(timers.pending, [], 'nothing left to poll');
  assert.deepEqual(logged, []);
  herald.stop();
});

test('resync with from = null: reloads the inbox\'s newest page, keeps the live items, then fills up to `to`', async () => {
  const context = setup();
  const { server, timers, herald, events } = context;
  server.publish('e1'); // 3-11
  const socket = await reconnected(context);
  server.publish('e2');
  server.publish('e3'); // 3-13
  server.storeUpTo = 12;
  server.hold();
  socket.frame({ type: 'resync', since: '3-11', partition: 3, reason: 'ahead of the log', from: null, to: '3-13' });
  assert.equal(herald.position, '3-13', 'an untrusted cursor is replaced by `to`');
  socket.frame({ type: 'welcome', partition: 3, cursor: '3-13', replay: 0 });
  socket.frame(server.publish('e4')); // 3-14
  assert.deepEqual(events.gap, [{ from: null, to: '3-13', filled: false }]);

  server.release();
  await settle();
  const reads = server.inboxReads();
  assert.equal(reads.at(-2), null, 'the newest page, as start() reads it');
  assert.equal(reads.at(-1), '3-12', 'then after that page\'s cursor');
  assert.deepEqual(ids(herald.items), ['e4', 'e2', 'e1']);
  assert.equal(herald.gaps, 1);

  server.storeUpTo = null;
  await timers.advance(timers.pending[0]);
  assert.equal(herald.gaps, 0);
  assert.deepEqual(ids(herald.items), ['e4', 'e3', 'e2', 'e1']);
  assert.deepEqual(ids(events.notification), ['e4', 'e2', 'e3']);
  assert.equal(herald.unreadCount, 4);
  assert.equal(herald.position, '3-14');
  herald.stop();
});

test('resync with from and to, then a close (a gateway that still closes): reconnects from `to`, and the fill still runs', async () => {
  const context = setup();
  const { server, ws, timers, herald, events } = context;
  const socket = await reconnected(context);
  for (let i = 1; i <= 5; i++) {
    server.publish(`e${i}`); // 3-11..3-15
  }
  socket.frame({ type: 'resync', since: '3-10', partition: 3, reason: 'older than the history', from: '3-10', to: '3-15' });
  socket.serverClose(1000, 'resync');
  await settle();
  assert.equal(herald.state, 'reconnecting');
  assert.equal(herald.gaps, 0);
  assert.deepEqual(ids(events.notification), ['e1', 'e2', 'e3', 'e4', 'e5']);
  await timers.advance(timers.pending[0]);
  ws.last().accept();
  assert.equal(ws.last().sent[0].since, '3-15', 'where the gateway can resume, so no second resync');
  herald.stop();
});

test('a `from` of another partition than `to` is not trusted: the inbox is reloaded and the socket resumes from `to`', async () => {
  const context = setup();
  const { server, ws, timers, herald } = context;
  server.partition = 9;
  const socket = await reconnected(context);
  server.partition = 3; // the partition count changed
  socket.frame({ type: 'resync', since: '9-10', partition: 3, reason: 'other partition', from: '9-10', to: '3-10' });
  socket.serverClose(1000, 'resync');
  await settle();
  assert.equal(herald.gaps, 0);
  assert.ok(!server.inboxReads().includes('9-10'), 'never asks the store after a cursor of another partition');
  await timers.advance(timers.pending[0]);
  ws.last().accept();
  assert.equal(ws.last().sent[0].since, '3-10');
  herald.stop();
});

test('stop() ends the polling of a lagging inbox but keeps the gap; start() fills it', async () => {
  const context = setup();
  const { server, timers, herald } = context;
  const socket = await reconnected(context);
  server.publish('e1');
  server.storeUpTo = 10;
  socket.frame({ type: 'resync', since: '3-10', partition: 3, reason: 'older than the history', from: '3-10', to: '3-11' });
  await settle();
  assert.deepEqual(timers.pending, [250]);
  herald.stop();
  assert.deepEqual(timers.pending, []);
  assert.equal(herald.gaps, 1);
  server.storeUpTo = null;
  await herald.start();
  await settle();
  assert.equal(herald.gaps, 0);
  assert.deepEqual(ids(herald.items), ['e1']);
  herald.stop();
});

test('a second resync while a gap is pending widens it', async () => {
  const context = setup();
  const { server, ws, timers, herald, events } = context;
  const socket = await reconnected(context);
  server.publish('e1');
  server.publish('e2'); // 3-12
  server.storeUpTo = 10;
  socket.frame({ type: 'resync', since: '3-10', partition: 3, reason: 'r', from: '3-10', to: '3-11' });
  socket.frame({ type: 'welcome', partition: 3, cursor: '3-11', replay: 0 });
  await settle();
  socket.serverClose(1006);
  await timers.advance(250);
  const next = ws.last();
  next.accept();
  assert.equal(next.sent[0].since, '3-11');
  next.frame({ type: 'resync', since: '3-11', partition: 3, reason: 'r', from: '3-11', to: '3-12' });
  assert.equal(herald.gaps, 1);
  assert.deepEqual(events.gap.at(-1), { from: '3-10', to: '3-12', filled: false });
  server.storeUpTo = 11;
  await timers.advance(timers.pending.find(ms => ms === 250 || ms === 500));
  assert.equal(herald.gaps, 1, 'the inbox reached the first end (3-11), not the second');
  server.storeUpTo = null;
  await timers.advance(30_000);
  assert.equal(herald.gaps, 0);
  assert.deepEqual(ids(herald.items), ['e2', 'e1']);
  herald.stop();
});
