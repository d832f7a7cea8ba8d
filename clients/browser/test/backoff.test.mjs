import { test } from 'node:test';
import assert from 'node:assert/strict';

import { backoffDelay, routeRetryDelay } from '../src/herald.js';
import { settle } from '../test-support/fakes.mjs';
import { setup, startAndWelcome } from '../test-support/setup.mjs';

test('full jitter: a uniform delay below an exponentially growing ceiling', () => {
  const options = { baseMs: 500, maxMs: 30_000 };
  assert.equal(backoffDelay(0, options, () => 0), 0);
  assert.equal(backoffDelay(0, options, () => 0.999999), 499);
  assert.equal(backoffDelay(1, options, () => 0.5), 500);
  assert.equal(backoffDelay(3, options, () => 0.5), 2000);
  for (let attempt = 0; attempt < 40; attempt++) {
    for (const r of [0, 0.3, 0.999999]) {
      const delay = backoffDelay(attempt, options, () => r);
      assert.ok(delay >= 0 && delay < Math.min(30_000, 500 * 2 ** attempt) + 1, `attempt ${attempt}: ${delay}`);
    }
  }
});

test('the ceiling is capped, even for huge attempt numbers', () => {
  assert.equal(backoffDelay(10, { baseMs: 500, maxMs: 30_000 }, () => 0.5), 15_000);
  assert.equal(backoffDelay(1e9, { baseMs: 500, maxMs: 30_000 }, () => 0.5), 15_000);
  assert.equal(backoffDelay(-3, { baseMs: 500, maxMs: 30_000 }, () => 0.5), 250);
});

test('while the route answers 503, a short jittered wait: 200-300 ms first, never above 1 s', () => {
  const options = { baseMs: 300, maxMs: 1000 };
  assert.equal(routeRetryDelay(0, options, () => 0), 200);
  assert.equal(routeRetryDelay(0, options, () => 0.999999), 299);
  assert.equal(routeRetryDelay(1, options, () => 0), 400);
  for (let attempt = 0; attempt < 40; attempt++) {
    for (const r of [0, 0.3, 0.999999]) {
      const delay = routeRetryDelay(attempt, options, () => r);
      const ceiling = Math.min(1000, 300 * 2 ** attempt);
      assert.ok(delay >= Math.floor(ceiling * 2 / 3) && delay < ceiling, `attempt ${attempt}: ${delay}`);
    }
  }
  assert.equal(routeRetryDelay(1e9, options, () => 0.5), 833);
});

test('reconnects retry soon while the gateways cannot route, re-asking the route each time, and reset once open', async () => {
  const context = setup();
  const { server, timers, ws, herald } = context;
  const first = await startAndWelcome(context);
  assert.equal(herald.state, 'open');

  server.routeStatus = 503; // rebalancing
  first.serverClose(1001, 'gateway shutting down');
  await settle();
  assert.equal(herald.state, 'reconnecting');
  const delays = [];
  for (let i = 0; i < 5; i++) {
    delays.push(timers.pending[0]);
    await timers.advance(timers.pending[0]);
  }
  // The socket's loss: the first step of the back-off; then 503s: the short route schedule (random() = 0.5).
  assert.deepEqual(delays, [250, 250, 500, 833, 833]);
  const routeCalls = server.requestsTo('/v1/route').length;
  assert.equal(routeCalls, 1 + 5); // the first connect, then each reconnect after its delay

  server.routeStatus = 200;
  await timers.advance(timers.pending[0]);
  const second = ws.last();
  assert.notEqual(second, first);
  second.accept();
  second.frame({ type: 'welcome', partition: 3, cursor: server.cursor });
  assert.equal(herald.state, 'open');
  second.serverClose(4008, 'too slow');
  await settle();
  assert.deepEqual(timers.pending, [250]); // back to the first step
  herald.stop();
});

test('stop() closes the socket and ends reconnecting', async () => {
  const context = setup();
  const socket = await startAndWelcome(context);
  context.herald.stop();
  assert.equal(context.herald.state, 'closed');
  assert.equal(socket.closedWith.code, 1000);
  socket.serverClose(1000);
  await context.timers.advance(60_000);
  assert.equal(context.ws.sockets.length, 1);
});

test('other failures (a socket lost before its welcome) keep the longer back-off, 503s or not in between', async () => {
  const context = setup();
  const { server, timers, ws, herald } = context;
  const first = await startAndWelcome(context);

  first.serverClose(1006, ''); // the gateway died: the route still names it for a moment
  await settle();
  const delays = [];
  for (let i = 0; i < 3; i++) {
    delays.push(timers.pending[0]);
    await timers.advance(timers.pending[0]);
    ws.last().serverClose(1006, ''); // refused
    await settle();
  }
  server.routeStatus = 503; // the survivors take over
  delays.push(timers.pending[0]);
  await timers.advance(timers.pending[0]);
  delays.push(timers.pending[0]);
  assert.deepEqual(delays, [250, 500, 1000, 2000, 250]);
  herald.stop();
});
