import { test } from 'node:test';
import assert from 'node:assert/strict';

import { MAX_SEEN_IDS } from '../src/herald.js';
import { settle } from '../test-support/fakes.mjs';
import { setup, startAndWelcome } from '../test-support/setup.mjs';

const seenFrames = socket => socket.sent.filter(frame => frame.type === 'seen');

test('markShown coalesces ids into one seen frame, each id once', async () => {
  const context = setup();
  const { herald, timers } = context;
  const socket = await startAndWelcome(context);

  herald.markShown('e1');
  herald.markShown(['e2', 'e1']);
  assert.deepEqual(seenFrames(socket), [], 'gathered for a moment first');
  await timers.advance(100);
  assert.deepEqual(seenFrames(socket), [{ type: 'seen', eventIds: ['e1', 'e2'] }]);

  herald.markShown(['e2', 'e3']);
  await timers.advance(100);
  assert.deepEqual(seenFrames(socket).at(-1), { type: 'seen', eventIds: ['e3'] }, 'e2 was sent already');
  herald.stop();
});

test('ids the gateway would refuse are never sent, and a long list goes in frames of 100', async () => {
  const context = setup();
  const { herald, timers } = context;
  const socket = await startAndWelcome(context);

  const ids = Array.from({ length: MAX_SEEN_IDS + 5 }, (_, i) => `e${i}`);
  herald.markShown([...ids, '', '-x', 42, null, 'x'.repeat(65)]);
  await timers.advance(100);

  const frames = seenFrames(socket);
  assert.equal(frames.length, 2);
  assert.equal(frames[0].eventIds.length, MAX_SEEN_IDS);
  assert.deepEqual([...frames[0].eventIds, ...frames[1].eventIds], ids);
  herald.stop();
});

test('ids shown while no session is open are sent once the next one opens', async () => {
  const context = setup();
  const { herald, timers, ws } = context;
  const first = await startAndWelcome(context);
  first.serverClose(1006);
  await settle();

  herald.markShown(['e7']);
  await timers.advance(100);
  assert.deepEqual(seenFrames(first), []);
  await timers.advance(60_000);
  await settle();
  const second = ws.last();
  assert.notEqual(second, first);
  second.accept();
  assert.deepEqual(seenFrames(second), [], 'not before the welcome');
  second.frame({ type: 'welcome', partition: context.server.partition, cursor: context.server.cursor, replay: 0 });

  assert.deepEqual(seenFrames(second), [{ type: 'seen', eventIds: ['e7'] }]);
  herald.stop();
});
