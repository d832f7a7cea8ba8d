import { test } from 'node:test';
import assert from 'node:assert/strict';

import { settle } from '../test-support/fakes.mjs';
import { setup, startAndWelcome } from '../test-support/setup.mjs';

test('loads the inbox first, then connects where the route says, with since = the inbox cursor', async () => {
  const context = setup();
  const { server, ws, herald, events } = context;
  server.publish('e1');
  server.publish('e2');
  server.read(['e1']);
  await herald.start();
  assert.deepEqual(herald.items.map(item => item.eventId), ['e2', 'e1']);
  assert.equal(herald.unreadCount, 1);
  assert.deepEqual(events.unread, [1]);
  await settle();
  const socket = ws.last();
  assert.equal(socket.url, 'ws://gw-a/ws');
  const order = server.requests.map(request => request.url.pathname);
  assert.ok(order.indexOf('/v1/route') > order.indexOf('/v1/me/notifications'), order.join(', '));
  assert.ok(server.requests.every(request => request.token === 't1'));
  socket.accept();
  assert.deepEqual(socket.sent, [{ type: 'auth', token: 't1', since: '3-13', sdk: 'herald-browser/1.0.0' }]);
  socket.frame({ type: 'welcome', partition: 3, cursor: '3-13' });
  assert.deepEqual(context.states(), ['connecting', 'open']);
  herald.stop();
});

test('4001 moved: connects to the URL in the close reason, without asking the route', async () => {
  const context = setup();
  const { server, ws, herald } = context;
  await herald.start();
  await settle();
  const first = ws.last();
  first.accept();
  first.serverClose(4001, 'ws://gw-b/ws');
  await settle();
  const second = ws.last();
  assert.equal(second.url, 'ws://gw-b/ws');
  assert.equal(server.requestsTo('/v1/route').length, 1);
  second.accept();
  assert.deepEqual(second.sent, [{ type: 'auth', token: 't1', since: '3-10', sdk: 'herald-browser/1.0.0' }]);
  second.frame({ type: 'welcome', partition: 3, cursor: '3-10' });
  assert.equal(herald.state, 'open');
  herald.stop();
});

test('endless moves fall back to the back-off and the route', async () => {
  const context = setup();
  const { server, ws, herald, timers } = context;
  await herald.start();
  await settle();
  for (let i = 0; i < 4; i++) {
    ws.last().accept();
    ws.last().serverClose(4001, i % 2 ? 'ws://gw-a/ws' : 'ws://gw-b/ws');
    await settle();
  }
  assert.equal(ws.sockets.length, 4);
  assert.equal(herald.state, 'reconnecting');
  await timers.advance(timers.pending[0]);
  assert.equal(server.requestsTo('/v1/route').length, 2);
  assert.equal(ws.sockets.length, 5);
  herald.stop();
});

test('resumes after a drop with the highest cursor it has seen', async () => {
  const context = setup();
  const { server, ws, herald, timers, events } = context;
  const first = await startAndWelcome(context);
  first.frame(server.publish('e1'));
  first.frame(server.read(['e1']));
  first.frame(server.publish('e2'));
  assert.deepEqual(events.notification.map(item => item.eventId), ['e1', 'e2']);
  first.serverClose(1006);
  await timers.advance(timers.pending[0]);
  const second = ws.last();
  second.accept();
  assert.equal(second.sent[0].since, '3-13');
  herald.stop();
});

test('an old gateway\'s welcome (no replay count) is adopted on a frame at or past it or on a ping, never on a timer', async () => {
  const context = setup();
  const { server, ws, herald, timers } = context;
  const first = await startAndWelcome(context); // since 3-10, welcome 3-10
  first.serverClose(1006);
  await timers.advance(timers.pending[0]);
  // Meanwhile three events; the gateway says welcome at 3-13 and then replays them.
  const missed = [server.publish('e1'), server.publish('e2'), server.publish('e3')];
  const second = ws.last();
  second.accept();
  assert.equal(second.sent[0].since, '3-10');
  second.frame({ type: 'welcome', partition: 3, cursor: '3-13' });
  second.frame(missed[0]);
  second.serverClose(1006); // lost mid-replay
  await timers.advance(timers.pending[0]);
  const third = ws.last();
  third.accept();
  assert.equal(third.sent[0].since, '3-11', 'resumes after the last event it has, not the welcome cursor');
  // A quiet welcome (nothing to replay; others' events moved the partition): however long it stays
  // quiet, only a ping (which follows any replay) says the replay is through.
  third.frame({ type: 'welcome', partition: 3, cursor: '3-40' });
  await timers.advance(60_000);
  third.serverClose(1001);
  await timers.advance(timers.pending[0]);
  const fourth = ws.last();
  fourth.accept();
  assert.equal(fourth.sent[0].since, '3-11', 'not adopted on a timer');
  fourth.frame({ type: 'welcome', partition: 3, cursor: '3-40' });
  fourth.frame({ type: 'ping' });
  assert.deepEqual(fourth.sent.at(-1), { type: 'pong' });
  fourth.serverClose(1001);
  await timers.advance(timers.pending[0]);
  ws.last().accept();
  assert.equal(ws.last().sent[0].since, '3-40');
  herald.stop();
});

test('an old gateway\'s resync (no gap ends, then a close): fills the gap from the inbox, oldest first and page by page, and reconnects with the new cursor', async () => {
  const context = setup({ pageSize: 2 });
  const { server, ws, herald, events } = context;
  const first = await startAndWelcome(context);
  first.frame(server.publish('e1'));
  // A long disconnect: 250 events, more than one gap page (200).
  for (let i = 2; i <= 251; i++) {
    server.publish(`e${i}`);
  }
  first.serverClose(1006);
  await context.timers.advance(context.timers.pending[0]);
  const second = ws.last();
  second.accept();
  assert.equal(second.sent[0].since, '3-11');
  second.frame({ type: 'resync', since: '3-11', partition: 3, reason: 'older than the history' });
  second.serverClose(1000, 'resync');
  await settle(); // the fill runs in the background; the close is an ordinary reconnect (after a back-off)
  assert.equal(herald.gaps, 0);
  const gap = server.requestsTo('/v1/me/notifications').filter(request => request.url.searchParams.has('after'));
  assert.deepEqual(gap.map(request => request.url.searchParams.get('after')), ['3-11', '3-211']);
  const ids = events.notification.map(item => item.eventId);
  assert.equal(ids.length, 251);
  assert.deepEqual(ids.slice(0, 3), ['e1', 'e2', 'e3']);
  assert.equal(ids[250], 'e251');
  assert.equal(new Set(ids).size, 251);
  assert.equal(herald.unreadCount, 251);
  await context.timers.advance(context.timers.pending[0]);
  const third = ws.last();
  assert.notEqual(third, second);
  third.accept();
  assert.equal(third.sent[0].since, '3-261');
  herald.stop();
});

test('resync with a cursor the store refuses (another partition) starts over from the inbox', async () => {
  const context = setup();
  const { server, ws, herald } = context;
  server.partition = 9;
  const first = await startAndWelcome(context);
  server.partition = 3; // the topic was recreated with another partition count
  first.serverClose(1006);
  await context.timers.advance(context.timers.pending[0]);
  const second = ws.last();
  second.accept();
  assert.equal(second.sent[0].since, '9-10');
  second.frame({ type: 'resync', since: '9-10', partition: 3, reason: 'other partition' });
  second.serverClose(1000);
  await settle();
  await context.timers.advance(context.timers.pending[0]);
  assert.notEqual(ws.last(), second);
  ws.last().accept();
  assert.equal(ws.last().sent[0].since, '3-10');
  herald.stop();
});

test('4003: asks getToken for a fresh token and retries; without getToken it reports an error', async () => {
  let calls = 0;
  const context = setup({ token: 'old', getToken: async () => `fresh-${++calls}` });
  const { ws, herald } = context;
  await herald.start();
  await settle();
  ws.last().accept();
  ws.last().serverClose(4003, 'token expired');
  await settle();
  ws.last().accept();
  assert.deepEqual(ws.last().sent[0], { type: 'auth', token: 'fresh-1', since: '3-10', sdk: 'herald-browser/1.0.0' });
  ws.last().frame({ type: 'welcome', partition: 3, cursor: '3-10' });
  assert.equal(herald.state, 'open');
  herald.stop();

  const plain = setup();
  await plain.herald.start();
  await settle();
  plain.ws.last().accept();
  plain.ws.last().serverClose(4003, 'token expired');
  await settle();
  assert.equal(plain.herald.state, 'error');
  assert.match(plain.herald.error.message, /token expired/);
  await plain.timers.advance(60_000);
  assert.equal(plain.ws.sockets.length, 1);
});

test('a 401 from the store renews the token once through getToken', async () => {
  const context = setup({ token: 'expired', getToken: async () => 'renewed' });
  context.server.acceptedTokens = ['renewed'];
  await context.herald.start();
  assert.equal(context.herald.state, 'connecting');
  const tokens = context.server.requests.map(request => request.token);
  assert.ok(tokens.includes('renewed'));
  context.herald.stop();
});

test('start() keeps trying while the store is unreachable', async () => {
  const context = setup();
  context.server.storeDown = true;
  const started = context.herald.start();
  await settle();
  assert.equal(context.herald.state, 'reconnecting');
  context.server.storeDown = false;
  await context.timers.advance(context.timers.pending[0]);
  await started;
  await settle();
  assert.equal(context.ws.sockets.length, 1);
  context.herald.stop();
});

test('sends a fresh token in a refresh frame before the current one expires', async () => {
  const jwt = exp => `h.${Buffer.from(JSON.stringify({ sub: 'u', exp })).toString('base64url')}.s`;
  const issued = [jwt(600), jwt(1200)];
  let clock = 0;
  const context = setup({ token: jwt(120), getToken: async () => issued.shift(), now: () => clock });
  const { timers, herald } = context;
  const socket = await startAndWelcome(context);

  clock = 80_000;
  await timers.advance(80_000);
  assert.equal(socket.sent.length, 1, 'nothing sent yet: the token is still fresh');
  clock = 90_000;
  await timers.advance(10_000);
  assert.deepEqual(socket.sent.at(-1), { type: 'refresh', token: jwt(600) });
  assert.equal(herald.state, 'open');

  clock = 570_000;
  await timers.advance(480_000);
  assert.deepEqual(socket.sent.at(-1), { type: 'refresh', token: jwt(1200) }, 'and again before the next expiry');
  herald.stop();
  assert.deepEqual(timers.pending.filter(ms => ms > 100_000), [], 'no renewal left scheduled after stop()');
});

test('without getToken nothing is renewed ahead: the 4003 at expiry is reported', async () => {
  const context = setup();
  const { timers, herald } = context;
  await startAndWelcome(context);
  await timers.advance(3_600_000);
  assert.equal(herald.state, 'open');
  herald.stop();
});
