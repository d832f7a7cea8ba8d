import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Connection, States, Transitions } from '../src/herald.js';
import { settle } from '../test-support/fakes.mjs';
import { setup, startAndWelcome } from '../test-support/setup.mjs';

/** A Connection with a host that records the state changes. */
function connection() {
  const changes = [];
  const logged = [];
  const host = { onState: change => changes.push(change.state), onDisconnect: () => {} };
  const subject = new Connection(host, {
    gatewayUrl: 'http://gw', setTimeout: () => 1, clearTimeout: () => {}, random: () => 0.5,
    now: () => 0, backoff: { baseMs: 500, maxMs: 30_000 }, log: message => logged.push(message),
  });
  return { subject, changes, logged };
}

test('the transition table is frozen data over the five states, and names only states', () => {
  const states = Object.values(States);
  assert.deepEqual(Object.keys(Transitions).sort(), [...states].sort());
  assert.ok(Object.isFrozen(Transitions));
  for (const [state, moves] of Object.entries(Transitions)) {
    assert.ok(Object.isFrozen(moves), state);
    for (const next of Object.values(moves)) {
      assert.ok(states.includes(next), `${state} → ${next}`);
    }
  }
  assert.equal(Transitions.closed.start, 'connecting');
  assert.equal(Transitions.connecting.welcome, 'open');
  assert.equal(Transitions.open.lose, 'reconnecting');
  assert.equal(Transitions.reconnecting.welcome, 'open');
  assert.equal(Transitions.error.start, 'connecting');
});

test('a transition the table does not list is refused: logged, the state unchanged, nothing emitted', () => {
  const { subject, changes, logged } = connection();
  assert.equal(subject.transition('welcome'), false);
  assert.equal(subject.state, 'closed');
  assert.deepEqual(changes, []);
  assert.deepEqual(logged, ["herald: refused 'welcome' in state 'closed'"]);
  assert.equal(subject.transition('no-such-event'), false);
  assert.equal(logged.length, 2);

  assert.equal(subject.transition('start'), true);
  assert.equal(subject.transition('welcome'), true);
  assert.deepEqual(changes, ['connecting', 'open']);
  assert.equal(subject.transition('start'), false, 'open cannot start again');
  assert.equal(subject.state, 'open');
});

test('a second welcome on an open socket is refused and logged; the session goes on', async () => {
  const context = setup();
  const { server, herald, logged, events } = context;
  const socket = await startAndWelcome(context);
  socket.frame({ type: 'welcome', partition: 3, cursor: server.cursor, replay: 0 });
  assert.equal(herald.state, 'open');
  assert.deepEqual(logged, ["herald: refused 'welcome' in state 'open'"]);
  socket.frame(server.publish('e1'));
  assert.deepEqual(events.notification.map(item => item.eventId), ['e1']);
  herald.stop();
});

test('the ordinary paths make only listed transitions', async () => {
  const context = setup();
  const { herald, ws, timers, logged } = context;
  const socket = await startAndWelcome(context);
  socket.serverClose(1006);
  await timers.advance(timers.pending[0]);
  ws.last().accept();
  ws.last().frame({ type: 'welcome', partition: 3, cursor: '3-10', replay: 0 });
  herald.stop();
  herald.stop();
  await herald.start();
  await settle();
  herald.stop();
  assert.deepEqual(context.states(), ['connecting', 'open', 'reconnecting', 'open', 'closed', 'connecting', 'closed']);
  assert.deepEqual(logged, []);
});
