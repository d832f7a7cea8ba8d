import { test } from 'node:test';
import assert from 'node:assert/strict';

import { settle } from '../test-support/fakes.mjs';
import { setup, startAndWelcome } from '../test-support/setup.mjs';

/** Drops the socket and returns the `since` the next one sends. */
async function sinceAfterDrop({ ws, timers }) {
  ws.last().serverClose(1006);
  await timers.advance(timers.pending[0]);
  ws.last().accept();
  return ws.last().sent[0].since;
}

test('a welcome\'s cursor is adopted once its replay is all here: a drop mid-replay resumes after the last frame it got', async () => {
  const context = setup();
  const { server, ws, timers, herald, events } = context;
  await startAndWelcome(context); // at 3-10
  assert.equal(await sinceAfterDrop(context), '3-10');
  const missed = [server.publish('e1'), server.publish('e2'), server.read(['e1'])]; // 3-11..3-13
  ws.last().frame({ type: 'welcome', partition: 3, cursor: '3-40', replay: 3 });
  ws.last().frame(missed[0]);
  ws.last().frame(missed[1]);
  assert.deepEqual(timers.pending, [], 'no timer stands in for the rest of the replay');
  assert.equal(herald.position, '3-12');
  assert.equal(await sinceAfterDrop(context), '3-12', 'the 2nd frame\'s cursor, not the welcome\'s');

  ws.last().frame({ type: 'welcome', partition: 3, cursor: '3-40', replay: 1 });
  ws.last().frame(missed[2]);
  assert.equal(herald.position, '3-40');
  assert.equal(await sinceAfterDrop(context), '3-40', 'all of the replay here: the welcome\'s cursor');
  assert.deepEqual(events.notification.map(item => item.eventId), ['e1', 'e2']);
  herald.stop();
});

test('replay 0: the welcome\'s cursor is adopted at once', async () => {
  const context = setup();
  const { ws, herald } = context;
  await herald.start();
  await settle();
  ws.last().accept();
  ws.last().frame({ type: 'welcome', partition: 3, cursor: '3-40', replay: 0 });
  assert.equal(herald.position, '3-40');
  assert.equal(await sinceAfterDrop(context), '3-40');
  herald.stop();
});

test('with a replay count, neither a ping nor a frame past the welcome cuts the replay short', async () => {
  const context = setup();
  const { ws, herald } = context;
  await startAndWelcome(context);
  await sinceAfterDrop(context);
  const socket = ws.last();
  socket.frame({ type: 'welcome', partition: 3, cursor: '3-20', replay: 2 });
  socket.frame({ type: 'ping' });
  socket.frame({ type: 'notification', cursor: '3-11', event: { eventId: 'e1', title: 'e1' } });
  assert.equal(herald.position, '3-11');
  socket.frame({ type: 'notification', cursor: '3-20', event: { eventId: 'e2', title: 'e2' } });
  assert.equal(herald.position, '3-20');
  herald.stop();
});

test('cursors with epochs are sent back as they came', async () => {
  const context = setup();
  const { ws, herald } = context;
  await startAndWelcome(context);
  await sinceAfterDrop(context);
  ws.last().frame({ type: 'welcome', partition: 3, cursor: '3-10@Xk3fQ9aB', replay: 1 });
  ws.last().frame({ type: 'notification', cursor: '3-11@Xk3fQ9aB', event: { eventId: 'e1', title: 'e1' } });
  assert.equal(await sinceAfterDrop(context), '3-11@Xk3fQ9aB');
  herald.stop();
});
