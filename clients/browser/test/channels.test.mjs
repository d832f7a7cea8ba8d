import { test } from 'node:test';
import assert from 'node:assert/strict';

import { settle } from '../test-support/fakes.mjs';
import { setup, startAndWelcome } from '../test-support/setup.mjs';

const ids = messages => messages.map(message => message.eventId);
const subscribes = socket => socket.sent.filter(frame => frame.type === 'subscribe' || frame.type === 'unsubscribe');
const statesOf = (events, channel) => events.subscription.filter(change => change.channel === channel).map(change => change.state);

/** Subscribes on an open session and lets the gateway confirm at its current channel position. */
function subscribed(context, channel, handler, options) {
  const unsubscribe = context.herald.subscribe(channel, handler, options);
  context.ws.last().frame({ type: 'subscribed', channel, cursor: context.server.channelCursor(), replay: 0 });
  return unsubscribe;
}

/** Closes the socket with `code`, lets the SDK reconnect, and welcomes the next socket. */
async function reconnect(context, code = 1006, reason = '') {
  const { ws, timers, server } = context;
  const before = ws.last();
  before.serverClose(code, reason);
  await settle();
  if (ws.last() === before) {
    await timers.advance(timers.pending[0]);
  }
  const socket = ws.last();
  assert.notEqual(socket, before);
  socket.accept();
  assert.deepEqual(subscribes(socket), [], 'nothing but auth before the welcome');
  socket.frame({ type: 'welcome', partition: server.partition, cursor: server.cursor, replay: 0 });
  return socket;
}

test('a subscription made before start() is sent once the session is open; the replay is adopted, then live messages come once each, in order', async () => {
  const context = setup();
  const { server, ws, herald, events } = context;
  const got = [];
  herald.subscribe('order:42', message => got.push(message), { since: server.channelCursor() }); // 0-100@ch1
  assert.deepEqual(herald.subscriptions, [{ channel: 'order:42', state: 'pending', cursor: '0-100@ch1', filling: false }]);
  await herald.start();
  await settle();
  const socket = ws.last();
  socket.accept();
  assert.deepEqual(subscribes(socket), [], 'not before the gateway has welcomed the session');
  socket.frame({ type: 'welcome', partition: 3, cursor: server.cursor, replay: 0 });
  assert.deepEqual(subscribes(socket), [{ type: 'subscribe', channel: 'order:42', since: '0-100@ch1' }]);

  const missed = [server.publishToChannel('order:42', 'm1'), server.publishToChannel('order:42', 'm2')]; // 0-101, 0-102
  server.advanceChannels(3); // other channels' messages: the position is 0-105
  socket.frame({ type: 'subscribed', channel: 'order:42', cursor: server.channelCursor(), replay: 2 });
  assert.equal(herald.subscriptions[0].cursor, '0-100@ch1', 'not adopted before its replay is here');
  socket.frame(missed[0]);
  assert.equal(herald.subscriptions[0].cursor, '0-101@ch1');
  socket.frame(missed[1]);
  assert.equal(herald.subscriptions[0].cursor, '0-105@ch1', 'the replay is through: the subscribed cursor');

  const live = server.publishToChannel('order:42', 'm3');
  socket.frame(live);
  socket.frame(live); // the same message again
  socket.frame(server.publishToChannel('order:7', 'x')); // a channel this client did not subscribe to
  assert.deepEqual(ids(got), ['m1', 'm2', 'm3']);
  assert.deepEqual(got[0], {
    channel: 'order:42', cursor: '0-101@ch1', eventId: 'm1', type: 'order.status', title: 'm1', body: 'body of m1',
    data: { n: 101 }, occurredAt: '2025-01-01T00:00:00Z', acceptedAt: '2025-01-01T00:00:01Z', source: 'shop', filled: false,
  });
  assert.equal(herald.subscriptions[0].cursor, '0-106@ch1', 'm3\'s: another channel\'s message does not move it');
  assert.deepEqual(statesOf(events, 'order:42'), ['pending', 'subscribing', 'subscribed']);
  assert.deepEqual(events.notification, [], 'channel messages are not inbox notifications');
  assert.equal(herald.items.length, 0);
  herald.stop();
});

test('a socket lost mid-replay resubscribes from the last message it got: nothing is lost, nothing shows twice', async () => {
  const context = setup();
  const { server, herald } = context;
  await startAndWelcome(context);
  const got = [];
  subscribed(context, 'order:42', message => got.push(message)); // at 0-100
  const sent = [1, 2, 3].map(i => server.publishToChannel('order:42', `m${i}`)); // 0-101..0-103
  context.ws.last().frame(sent[0]);

  let socket = await reconnect(context);
  assert.deepEqual(subscribes(socket), [{ type: 'subscribe', channel: 'order:42', since: '0-101@ch1' }]);
  socket.frame({ type: 'subscribed', channel: 'order:42', cursor: '0-103@ch1', replay: 2 });
  socket.frame(sent[1]);

  socket = await reconnect(context);
  assert.deepEqual(subscribes(socket), [{ type: 'subscribe', channel: 'order:42', since: '0-102@ch1' }],
      'the last message\'s cursor, not the unfinished replay\'s');
  // A gateway whose replay overlaps what the client has (m2) still shows it once.
  socket.frame({ type: 'subscribed', channel: 'order:42', cursor: '0-103@ch1', replay: 2 });
  socket.frame(sent[1]);
  socket.frame(sent[2]);
  assert.deepEqual(ids(got), ['m1', 'm2', 'm3']);
  assert.equal(herald.subscriptions[0].cursor, '0-103@ch1');
  herald.stop();
});

test('every reconnect (4001 moved, 1001 going away, stop and start) re-sends every subscription with its own channel\'s cursor', async () => {
  const context = setup();
  const { server, ws, herald, events } = context;
  await startAndWelcome(context);
  const alerts = [];
  const orders = [];
  subscribed(context, 'system', message => alerts.push(message)); // at 0-100
  ws.last().frame(server.publishToChannel('system', 'a1')); // 0-101
  server.advanceChannels(5);
  subscribed(context, 'order:42', message => orders.push(message)); // at 0-106
  ws.last().frame(server.publishToChannel('order:42', 'o1')); // 0-107

  let socket = await reconnect(context, 4001, 'ws://gw-b/ws');
  assert.equal(socket.url, 'ws://gw-b/ws');
  assert.deepEqual(subscribes(socket), [
    { type: 'subscribe', channel: 'system', since: '0-101@ch1' },
    { type: 'subscribe', channel: 'order:42', since: '0-107@ch1' },
  ]);
  const a2 = server.publishToChannel('system', 'a2'); // 0-108, missed while moving
  socket.frame({ type: 'subscribed', channel: 'system', cursor: server.channelCursor(), replay: 1 });
  socket.frame(a2);
  socket.frame({ type: 'subscribed', channel: 'order:42', cursor: server.channelCursor(), replay: 0 });

  socket = await reconnect(context, 1001);
  assert.deepEqual(subscribes(socket), [
    { type: 'subscribe', channel: 'system', since: '0-108@ch1' },
    { type: 'subscribe', channel: 'order:42', since: '0-108@ch1' },
  ]);
  assert.deepEqual(statesOf(events, 'system').slice(-3), ['subscribed', 'pending', 'subscribing']);

  herald.stop();
  assert.deepEqual(herald.subscriptions.map(sub => sub.state), ['pending', 'pending'], 'kept across stop()');
  await herald.start();
  await settle();
  ws.last().accept();
  ws.last().frame({ type: 'welcome', partition: 3, cursor: server.cursor, replay: 0 });
  assert.deepEqual(subscribes(ws.last()).map(frame => frame.since), ['0-108@ch1', '0-108@ch1']);
  assert.deepEqual(ids(alerts), ['a1', 'a2']);
  assert.deepEqual(ids(orders), ['o1']);
  herald.stop();
});

test('resync: live messages come at once; the gap is read from the store (polled while it lags) and follows in cursor order, once each', async () => {
  const context = setup();
  const { server, timers, herald, events } = context;
  await startAndWelcome(context);
  const got = [];
  subscribed(context, 'order:42', message => got.push(message)); // at 0-100
  const frames = [1, 2, 3, 4].map(i => server.publishToChannel('order:42', `m${i}`)); // 0-101..0-104
  server.channelStoreUpTo = 102; // the store has m1 and m2 only
  let socket = await reconnect(context);
  assert.deepEqual(subscribes(socket), [{ type: 'subscribe', channel: 'order:42', since: '0-100@ch1' }]);

  // The gateway's history of the channel starts after m3: m1..m3 are for the store.
  socket.frame({ type: 'resync', channel: 'order:42', since: '0-100@ch1', reason: 'older than the history', from: '0-100@ch1', to: '0-103@ch1' });
  socket.frame({ type: 'subscribed', channel: 'order:42', cursor: '0-104@ch1', replay: 1 });
  socket.frame(frames[3]);
  socket.frame(server.publishToChannel('order:42', 'm5')); // live, 0-105
  assert.deepEqual(ids(got), ['m4', 'm5'], 'shown before the store answered');
  assert.deepEqual(herald.subscriptions, [{ channel: 'order:42', state: 'subscribed', cursor: '0-105@ch1', filling: true }]);
  assert.deepEqual(events['channel-gap'], [{ channel: 'order:42', from: '0-100@ch1', to: '0-103@ch1', filled: false }]);
  assert.equal(herald.gaps, 0, 'not a gap of the inbox');

  await settle();
  assert.deepEqual(ids(got), ['m4', 'm5', 'm1', 'm2']);
  assert.ok(got.slice(2).every(message => message.filled));
  assert.deepEqual(timers.pending, [250], 'the store (0-102) has not reached 0-103: look again after a back-off');

  // A reconnect meanwhile resumes from the subscription's own cursor and keeps the gap.
  server.channelStoreUpTo = 102;
  socket = await reconnect(context);
  assert.deepEqual(subscribes(socket), [{ type: 'subscribe', channel: 'order:42', since: '0-105@ch1' }]);
  socket.frame({ type: 'subscribed', channel: 'order:42', cursor: '0-105@ch1', replay: 0 });
  assert.equal(herald.subscriptions[0].filling, true);

  server.channelStoreUpTo = null; // caught up
  await timers.advance(30_000);
  assert.deepEqual(ids(got), ['m4', 'm5', 'm1', 'm2', 'm3'], 'm4 and m5 (past the gap) not again');
  assert.equal(herald.subscriptions[0].filling, false);
  assert.deepEqual(events['channel-gap'].at(-1), { channel: 'order:42', from: '0-100@ch1', to: '0-103@ch1', filled: true });
  const reads = server.channelReads('order:42');
  assert.deepEqual(reads.map(read => read.after), ['0-100@ch1', '0-102@ch1', '0-102@ch1']);
  assert.ok(reads.every(read => read.limit === 200 && read.before === null));
  const requests = server.requestsTo('/v1/channels/order%3A42/messages');
  assert.ok(requests.every(request => request.token === 't1'), 'with the user token');
  assert.deepEqual(timers.pending, [], 'nothing left to poll');
  herald.stop();
});

test('resync with from = null: the channel\'s newest page first, in cursor order, then filled after its cursor up to `to`', async () => {
  const context = setup();
  const { server, timers, herald, events } = context;
  [1, 2, 3].map(i => server.publishToChannel('order:42', `m${i}`)); // 0-101..0-103
  await startAndWelcome(context);
  const got = [];
  herald.subscribe('order:42', message => got.push(message), { since: '0-999@ch1' }); // ahead of the log
  server.channelStoreUpTo = 102;
  const socket = context.ws.last();
  socket.frame({ type: 'resync', channel: 'order:42', since: '0-999@ch1', reason: 'ahead of the log', from: null, to: '0-103@ch1' });
  assert.equal(herald.subscriptions[0].cursor, '0-103@ch1', 'an untrusted cursor is replaced by `to`');
  socket.frame({ type: 'subscribed', channel: 'order:42', cursor: '0-103@ch1', replay: 0 });
  await settle();
  assert.deepEqual(ids(got), ['m1', 'm2']);
  assert.deepEqual(server.channelReads('order:42').map(({ after, limit }) => ({ after, limit })),
      [{ after: null, limit: 50 }, { after: '0-102@ch1', limit: 200 }]);

  server.channelStoreUpTo = null;
  await timers.advance(timers.pending[0]);
  assert.deepEqual(ids(got), ['m1', 'm2', 'm3']);
  assert.deepEqual(events['channel-gap'], [
    { channel: 'order:42', from: null, to: '0-103@ch1', filled: false },
    { channel: 'order:42', from: null, to: '0-103@ch1', filled: true },
  ]);
  herald.stop();
});

test('a store that refuses the token or the channel (401, 403) gives the gap up and says so; the subscription goes on', async () => {
  const context = setup();
  const { server, herald, events } = context;
  await startAndWelcome(context);
  const got = [];
  herald.subscribe('order:42', message => got.push(message), { since: '0-100@ch1' });
  server.acceptedTokens = ['nobody']; // the store answers 401, and there is no getToken to renew
  const socket = context.ws.last();
  socket.frame({ type: 'resync', channel: 'order:42', since: '0-100@ch1', reason: 'r', from: '0-100@ch1', to: '0-101@ch1' });
  socket.frame({ type: 'subscribed', channel: 'order:42', cursor: '0-101@ch1', replay: 0 });
  await settle();
  const last = events['channel-gap'].at(-1);
  assert.equal(last.filled, false);
  assert.equal(last.error.status, 401);
  assert.equal(herald.subscriptions[0].filling, false);
  assert.equal(herald.subscriptions[0].state, 'subscribed');
  assert.equal(herald.state, 'open');
  socket.frame(server.publishToChannel('order:42', 'live'));
  assert.deepEqual(ids(got), ['live']);
  herald.stop();
});

test('refusals are final for the subscription and reported; the session and the other subscriptions go on', async () => {
  const context = setup();
  const { server, herald, events } = context;
  await startAndWelcome(context);
  const got = [];
  subscribed(context, 'system', message => got.push(message));
  const socket = context.ws.last();
  const refusals = {
    'order:9': 'channel-forbidden', 'Not A Channel': 'invalid-channel', 'order:8': 'invalid-cursor', 'order:7': 'subscription-limit',
  };
  for (const [channel, code] of Object.entries(refusals)) {
    herald.subscribe(channel, message => got.push(message), code === 'invalid-cursor' ? { since: 'yesterday' } : {});
    socket.frame({ type: 'error', code, message: `refused: ${code}`, channel });
  }
  socket.frame({ type: 'error', code: 'unknown-type', message: 'unknown frame type' }); // not a subscription's
  for (const [channel, code] of Object.entries(refusals)) {
    const last = events.subscription.filter(change => change.channel === channel).at(-1);
    assert.equal(last.state, 'refused', channel);
    assert.equal(last.error.code, code);
    assert.match(last.error.message, new RegExp(code));
  }
  assert.deepEqual(subscribes(socket).find(frame => frame.channel === 'order:8'), { type: 'subscribe', channel: 'order:8', since: 'yesterday' });
  assert.deepEqual(herald.subscriptions.map(sub => [sub.channel, sub.state]), [['system', 'subscribed']]);
  socket.frame(server.publishToChannel('order:9', 'not-granted'));
  socket.frame(server.publishToChannel('system', 'a1'));
  assert.deepEqual(ids(got), ['a1']);
  assert.equal(herald.state, 'open');
  const next = await reconnect(context);
  assert.deepEqual(subscribes(next).map(frame => frame.channel), ['system'], 'a refused subscription is not sent again');
  herald.stop();
});

test('channels-unavailable (the gateway is starting): subscribes again after a growing back-off', async () => {
  const context = setup();
  const { server, timers, herald, events } = context;
  await startAndWelcome(context);
  const got = [];
  herald.subscribe('system', message => got.push(message), { since: '0-100@ch1' });
  const socket = context.ws.last();
  socket.frame({ type: 'error', code: 'channels-unavailable', message: 'subscribe again shortly', channel: 'system' });
  assert.equal(herald.subscriptions[0].state, 'retrying');
  assert.equal(events.subscription.at(-1).error.code, 'channels-unavailable');
  assert.deepEqual(timers.pending, [250]);
  await timers.advance(250);
  assert.equal(subscribes(socket).length, 2);
  socket.frame({ type: 'error', code: 'channels-unavailable', message: 'subscribe again shortly', channel: 'system' });
  assert.deepEqual(timers.pending, [500]);
  await timers.advance(500);
  assert.deepEqual(subscribes(socket), Array(3).fill({ type: 'subscribe', channel: 'system', since: '0-100@ch1' }));
  socket.frame({ type: 'subscribed', channel: 'system', cursor: server.channelCursor(), replay: 0 });
  socket.frame(server.publishToChannel('system', 'a1'));
  assert.deepEqual(ids(got), ['a1']);
  assert.deepEqual(statesOf(events, 'system'), ['subscribing', 'retrying', 'subscribing', 'retrying', 'subscribing', 'subscribed']);
  assert.deepEqual(timers.pending, []);
  herald.stop();
});

test('unsubscribe: the last handler removed unsubscribes; frames of the old subscription never reach a new one', async () => {
  const context = setup();
  const { server, herald, events } = context;
  await startAndWelcome(context);
  const first = [];
  const second = [];
  const offFirst = subscribed(context, 'order:42', message => first.push(message));
  const offSecond = herald.subscribe('order:42', message => second.push(message)); // shares the subscription
  const socket = context.ws.last();
  assert.equal(subscribes(socket).length, 1);
  socket.frame(server.publishToChannel('order:42', 'm1'));
  offFirst();
  offFirst(); // twice is harmless
  socket.frame(server.publishToChannel('order:42', 'm2'));
  assert.deepEqual([ids(first), ids(second)], [['m1'], ['m1', 'm2']]);
  assert.equal(subscribes(socket).length, 1, 'still one handler: still subscribed');

  offSecond();
  assert.deepEqual(subscribes(socket).at(-1), { type: 'unsubscribe', channel: 'order:42' });
  assert.deepEqual(herald.subscriptions, []);
  assert.equal(events.subscription.at(-1).state, 'unsubscribed');
  // Subscribed again before the gateway confirmed: what it still sends for the old one is ignored.
  const third = [];
  herald.subscribe('order:42', message => third.push(message));
  socket.frame(server.publishToChannel('order:42', 'm3')); // in flight before the unsubscribe
  socket.frame({ type: 'unsubscribed', channel: 'order:42', reason: 'unsubscribed' });
  assert.equal(statesOf(events, 'order:42').at(-1), 'subscribing', 'the confirmation does not end the new subscription');
  socket.frame({ type: 'subscribed', channel: 'order:42', cursor: server.channelCursor(), replay: 0 });
  socket.frame(server.publishToChannel('order:42', 'm4'));
  assert.deepEqual(ids(third), ['m4']);
  assert.deepEqual(ids(second), ['m1', 'm2']);

  // Unsubscribed while disconnected: nothing to tell the gateway, and nothing sent on the next session.
  socket.serverClose(1006);
  await settle();
  const offPending = herald.subscribe('system', () => {});
  offPending();
  const next = await reconnect(context);
  assert.deepEqual(subscribes(next).map(frame => frame.channel), ['order:42']);
  herald.stop();
});

test('a subscription the gateway ends (a refreshed token no longer grants it) is reported and not sent again', async () => {
  const context = setup();
  const { server, herald, events } = context;
  await startAndWelcome(context);
  const got = [];
  subscribed(context, 'order:42', message => got.push(message));
  const socket = context.ws.last();
  socket.frame({ type: 'unsubscribed', channel: 'order:42', reason: 'the refreshed token does not grant this channel' });
  assert.deepEqual(events.subscription.at(-1), {
    channel: 'order:42', state: 'ended', error: null, reason: 'the refreshed token does not grant this channel',
  });
  socket.frame(server.publishToChannel('order:42', 'm1'));
  assert.deepEqual(got, []);
  assert.deepEqual(herald.subscriptions, []);
  const next = await reconnect(context);
  assert.deepEqual(subscribes(next), []);
  herald.stop();
});

test('a channel\'s resync is not the inbox\'s, and subscribe checks its arguments', async () => {
  const context = setup();
  const { herald } = context;
  assert.throws(() => herald.subscribe('', () => {}), TypeError);
  assert.throws(() => herald.subscribe('system'), TypeError);
  const socket = await startAndWelcome(context);
  socket.frame({ type: 'resync', channel: 'nobody:here', since: null, reason: 'r', from: null, to: '0-5@ch1' });
  await settle();
  assert.equal(herald.gaps, 0);
  assert.equal(herald.position, '3-10');
  herald.stop();
});
