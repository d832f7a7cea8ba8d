// useHerald under a real React: React's own reconciler (react-reconciler, what react-dom is built on)
// with a minimal renderer that renders nothing, so that mounting, effects, state updates, re-renders
// and unmounting are React's own while the test needs no DOM. react-dom/server would not run effects,
// and react-dom/client would need a DOM. React is not a dependency of the SDK: the exact versions
// below are installed from the npm registry into target/react-test (test-only); without the registry
// the test is skipped, saying so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { FakeHerald, FakeTimers, fakeWebSockets, settle } from '../test-support/fakes.mjs';

/** The React under test: exact versions, installed for this test only. */
const PINNED = { react: '19.3.1', 'react-reconciler': '0.34.0' };

const here = dirname(fileURLToPath(import.meta.url));
const installDir = join(here, '..', 'target', 'react-test');

/** Installs PINNED into target/react-test unless it is there; returns why it could not, or null. */
function installReact() {
  const installed = name => {
    const manifest = join(installDir, 'node_modules', name, 'package.json');
    return existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).version === PINNED[name];
  };
  if (Object.keys(PINNED).every(installed)) {
    return null;
  }
  mkdirSync(installDir, { recursive: true });
  writeFileSync(join(installDir, 'package.json'),
    `${JSON.stringify({ name: 'herald-react-test', private: true, dependencies: PINNED }, null, 2)}\n`);
  try {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
      { cwd: installDir, stdio: 'pipe', timeout: 180_000 });
  }
  catch (error) {
    return `npm could not install ${Object.entries(PINNED).map(([name, version]) => `${name}@${version}`).join(', ')} `
      + `into ${installDir}: ${String(error.stderr || error.message).trim().split('\n').slice(-3).join(' ')}`;
  }
  return Object.keys(PINNED).every(installed) ? null : `npm did not install ${JSON.stringify(PINNED)} into ${installDir}`;
}

const missing = installReact();
let React = null;
let Reconciler = null;
let useHerald = null;
if (!missing) {
  const require = createRequire(join(installDir, 'package.json'));
  // src/react.js imports 'react': point that at the install above (the one react-reconciler uses too).
  const reactUrl = pathToFileURL(require.resolve('react')).href;
  register(`data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      return next(specifier === 'react' ? ${JSON.stringify(reactUrl)} : specifier, context);
    }`)}`);
  React = require('react');
  Reconciler = require('react-reconciler');
  ({ useHerald } = await import('../src/react.js'));
  globalThis.IS_REACT_ACT_ENVIRONMENT = true;
}

/** A renderer of nothing: components run, hooks and effects with them; no host elements exist. */
function createRoot() {
  let priority = 32; // DefaultEventPriority
  const noop = () => {};
  const renderer = Reconciler({
    supportsMutation: true,
    supportsPersistence: false,
    supportsHydration: false,
    supportsMicrotasks: true,
    scheduleMicrotask: queueMicrotask,
    isPrimaryRenderer: true,
    noTimeout: -1,
    scheduleTimeout: setTimeout,
    cancelTimeout: clearTimeout,
    getRootHostContext: () => ({}),
    getChildHostContext: context => context,
    getPublicInstance: instance => instance,
    prepareForCommit: () => null,
    resetAfterCommit: noop,
    preparePortalMount: noop,
    clearContainer: noop,
    createInstance: type => { throw new Error(`the test renderer has no host elements (<${type}>)`); },
    createTextInstance: () => { throw new Error('the test renderer has no text'); },
    appendInitialChild: noop,
    appendChildToContainer: noop,
    removeChildFromContainer: noop,
    finalizeInitialChildren: () => false,
    shouldSetTextContent: () => false,
    detachDeletedInstance: noop,
    getCurrentUpdatePriority: () => priority,
    setCurrentUpdatePriority: next => { priority = next; },
    resolveUpdatePriority: () => priority,
    shouldAttemptEagerTransition: () => false,
    trackSchedulerEvent: noop,
    resolveEventType: () => null,
    resolveEventTimeStamp: () => -1.1,
    requestPostPaintCallback: noop,
    maySuspendCommit: () => false,
    maySuspendCommitOnUpdate: () => false,
    maySuspendCommitInSyncRender: () => false,
    preloadInstance: () => true,
    startSuspendingCommit: noop,
    suspendInstance: noop,
    waitForCommitToBeReady: () => null,
    NotPendingTransition: null,
    HostTransitionContext: React.createContext(null),
    resetFormInstance: noop,
    bindToConsole: (method, args) => Function.prototype.bind.call(console[method], console, ...args),
  });
  const errors = [];
  const container = renderer.createContainer({}, 1, null, false, null, '', error => errors.push(error),
    error => errors.push(error), error => errors.push(error), noop);
  return {
    errors,
    render: element => React.act(async () => {
      renderer.updateContainer(element, container, null, null);
    }),
    unmount: () => React.act(async () => {
      renderer.updateContainer(null, container, null, null);
    }),
  };
}

/** The fakes behind the hook's Herald: the store, the socket, the timers. */
function fakes() {
  const server = new FakeHerald();
  const timers = new FakeTimers();
  const ws = fakeWebSockets();
  const options = {
    storeUrl: server.storeUrl,
    gatewayUrl: server.gatewayUrl,
    fetch: server.fetch,
    WebSocket: ws.FakeSocket,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    random: () => 0.5,
    log: () => {},
  };
  return { server, timers, ws, options };
}

/** A component that only calls the hook, and keeps what each render got. */
function probe() {
  const results = [];
  function Probe({ options }) {
    results.push(useHerald(options));
    return null;
  }
  return { Probe, results, get latest() { return results[results.length - 1]; } };
}

const inReact = work => React.act(async () => { await work(); await settle(); });
const ids = items => items.map(item => item.eventId);

test('useHerald starts on mount, follows the inbox and the socket, pages back, marks read and stops on unmount',
  { skip: missing ?? false }, async () => {
    const { server, ws, options } = fakes();
    for (let i = 1; i <= 7; i++) {
      server.publish(`e${i}`);
    }
    const view = probe();
    const { Probe, results } = view;
    const root = createRoot();
    const getToken = async () => 'renewed';
    await root.render(React.createElement(Probe, { options: { ...options, token: 't1', getToken, pageSize: 3 } }));
    await inReact(() => {});
    const herald = view.latest.herald;
    assert.ok(herald, 'the effect made a Herald');
    assert.deepEqual(ids(view.latest.items), ['e7', 'e6', 'e5']);
    assert.equal(view.latest.unreadCount, 7);
    assert.equal(view.latest.hasOlder, true);
    assert.equal(view.latest.state, 'connecting');

    await inReact(() => {
      ws.last().accept();
      ws.last().frame({ type: 'welcome', partition: server.partition, cursor: server.cursor, replay: 0 });
    });
    assert.equal(view.latest.state, 'open');

    await inReact(() => ws.last().frame(server.publish('e8', 'Live')));
    assert.deepEqual(ids(view.latest.items), ['e8', 'e7', 'e6', 'e5']);
    assert.equal(view.latest.unreadCount, 8);

    let added;
    await inReact(async () => { added = await view.latest.loadOlder(); });
    assert.deepEqual(ids(added), ['e4', 'e3', 'e2']);
    await inReact(async () => { await view.latest.loadOlder(); });
    assert.deepEqual(ids(view.latest.items), ['e8', 'e7', 'e6', 'e5', 'e4', 'e3', 'e2', 'e1']);
    assert.equal(view.latest.hasOlder, false);

    await inReact(() => view.latest.markRead('e1'));
    assert.equal(view.latest.unreadCount, 7);
    assert.equal(view.latest.items.at(-1).read, true);

    // A re-render with a new options object and a new getToken keeps the same instance and functions.
    const before = view.latest;
    const renders = results.length;
    await root.render(React.createElement(Probe, { options: { ...options, token: 't1', getToken: async () => 'x', pageSize: 3 } }));
    assert.ok(results.length > renders, 'it rendered again');
    assert.equal(view.latest.herald, herald);
    assert.equal(view.latest.markRead, before.markRead);
    assert.equal(view.latest.markAllRead, before.markAllRead);
    assert.equal(view.latest.loadOlder, before.loadOlder);
    assert.equal(ws.sockets.length, 1, 'no new connection');

    await inReact(() => view.latest.markAllRead());
    assert.equal(view.latest.unreadCount, 0);
    assert.ok(view.latest.unseenCount > 0, 'read is not seen');
    await inReact(() => view.latest.markAllSeen());
    assert.equal(view.latest.unseenCount, 0);
    const held = view.latest.items.length;
    await inReact(() => view.latest.archive(view.latest.items[0].eventId));
    assert.equal(view.latest.items.length, held - 1, 'an archived item leaves the list');

    await root.unmount();
    assert.equal(herald.state, 'closed', 'stopped on unmount');
    assert.ok(ws.last().closedWith, 'the socket was closed');
    assert.deepEqual(root.errors, []);
  });

test('useHerald hands a new token to the running instance, and starts over when the store changes',
  { skip: missing ?? false }, async () => {
    const { server, ws, options } = fakes();
    server.publish('a1');
    const view = probe();
    const { Probe } = view;
    const root = createRoot();
    await root.render(React.createElement(Probe, { options: { ...options, token: 't1' } }));
    await inReact(() => {});
    const first = view.latest.herald;
    await root.render(React.createElement(Probe, { options: { ...options, token: 't2' } }));
    await inReact(() => {});
    assert.equal(view.latest.herald, first, 'the same instance');
    assert.equal(first.token, 't2');
    assert.equal(ws.sockets.length, 1);

    const other = new FakeHerald({ storeUrl: 'http://store-b', gatewayUrl: server.gatewayUrl });
    other.publish('b1');
    other.publish('b2');
    await root.render(React.createElement(Probe, {
      options: { ...options, storeUrl: other.storeUrl, fetch: other.fetch, token: 't2' },
    }));
    await inReact(() => {});
    assert.notEqual(view.latest.herald, first, 'a new instance for another store');
    assert.equal(first.state, 'closed', 'the old one was stopped');
    assert.deepEqual(ids(view.latest.items), ['b2', 'b1']);
    assert.equal(view.latest.unreadCount, 2);
    await root.unmount();
  });

test('useHerald follows a Herald of the page\'s own and leaves it running on unmount', { skip: missing ?? false }, async () => {
  const { Herald } = await import('../src/herald.js');
  const { server, ws, options } = fakes();
  server.publish('c1');
  const herald = new Herald({ ...options, token: 't1' });
  const view = probe();
  const { Probe } = view;
  const root = createRoot();
  await root.render(React.createElement(Probe, { options: { herald } }));
  await inReact(() => {});
  assert.equal(view.latest.herald, herald);
  assert.deepEqual(ids(view.latest.items), ['c1']);
  await root.unmount();
  assert.notEqual(herald.state, 'closed');
  assert.equal(ws.last().closedWith, null);
  herald.stop();
});

test('useHerald\'s actions say plainly when nothing is mounted', { skip: missing ?? false }, async () => {
  const { options } = fakes();
  const view = probe();
  const { Probe } = view;
  const root = createRoot();
  await root.render(React.createElement(Probe, { options: { ...options, token: 't1' } }));
  const markRead = view.latest.markRead;
  await root.unmount();
  await assert.rejects(markRead('x'), /not started/);
});
