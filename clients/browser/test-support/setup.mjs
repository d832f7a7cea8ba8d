import { Herald } from '../src/herald.js';
import { FakeHerald, FakeTimers, fakeWebSockets, settle } from './fakes.mjs';

/** A Herald wired to fakes, with every event it emits recorded. */
export function setup(options = {}) {
  const server = new FakeHerald();
  const timers = new FakeTimers();
  const ws = fakeWebSockets();
  const events = { notification: [], read: [], unread: [], unseen: [], seen: [], archived: [], unarchived: [], state: [], items: [],
    gap: [], subscription: [], 'channel-gap': [] };
  const logged = [];
  const herald = new Herald({
    storeUrl: server.storeUrl,
    gatewayUrl: server.gatewayUrl,
    token: 't1',
    fetch: server.fetch,
    WebSocket: ws.FakeSocket,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    random: () => 0.5,
    log: message => logged.push(message),
    ...options,
  });
  for (const name of Object.keys(events)) {
    herald.on(name, value => events[name].push(value));
  }
  const states = () => events.state.map(change => change.state);
  return { server, timers, ws, herald, events, states, logged };
}

/** Starts the SDK and lets the gateway accept it with a welcome at the stream's current cursor. */
export async function startAndWelcome(context) {
  await context.herald.start();
  await settle();
  const socket = context.ws.last();
  socket.accept();
  socket.frame({ type: 'welcome', partition: context.server.partition, cursor: context.server.cursor, replay: 0 });
  return socket;
}
