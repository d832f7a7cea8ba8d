// What build.mjs made (dist/): run `npm run build` (Maven does, before the tests) first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import vm from 'node:vm';

import * as esm from '../src/herald.js';
import { FakeHerald, FakeTimers, fakeWebSockets, settle } from '../test-support/fakes.mjs';

const dist = new URL('../dist/', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

function built(path) {
  const url = new URL(path, dist);
  assert.ok(existsSync(url), `dist/${path} is missing: run \`npm run build\` first`);
  return readFileSync(url, 'utf8');
}

/** Runs the IIFE as a <script> would, in a fresh realm whose global is `window`; returns that window. */
function scriptTag(source) {
  const window = {};
  window.window = window;
  vm.createContext(window);
  vm.runInContext(source, window, { filename: 'herald.iife.js' });
  return window;
}

test('the IIFE defines window.Herald with every export of the ES module', () => {
  const window = scriptTag(built('herald.iife.js'));
  assert.equal(typeof window.Herald, 'object');
  assert.deepEqual(Object.keys(window.Herald).sort(), Object.keys(esm).sort());
  assert.equal(typeof window.Herald.Herald, 'function');
  assert.equal(window.Herald.compareCursors('3-10', '3-9'), 1);
});

test("the IIFE's Herald loads the inbox, authenticates as herald-browser and hands out a live notification", async () => {
  const window = scriptTag(built('herald.iife.js'));
  const server = new FakeHerald();
  const timers = new FakeTimers();
  const ws = fakeWebSockets();
  server.publish('e1');
  const herald = new window.Herald.Herald({
    storeUrl: server.storeUrl, gatewayUrl: server.gatewayUrl, token: 't1', fetch: server.fetch,
    WebSocket: ws.FakeSocket, setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout, random: () => 0.5,
  });
  const shown = [];
  herald.on('notification', item => shown.push(item.eventId));
  await herald.start();
  await settle();
  const socket = ws.last();
  socket.accept();
  assert.deepEqual(socket.sent, [{ type: 'auth', token: 't1', since: server.cursor, sdk: `herald-browser/${pkg.version}` }]);
  socket.frame({ type: 'welcome', partition: server.partition, cursor: server.cursor, replay: 0 });
  socket.frame(server.publish('e2'));
  assert.deepEqual(shown, ['e2']);
  // Arrays of the script's realm: copied into this one to compare.
  assert.deepEqual(Array.from(herald.items, item => item.eventId), ['e2', 'e1']);
  assert.equal(herald.unreadCount, 2);
  herald.stop();
});

test('the store gets the modules as they are and the bundles, listed in dist/sdk/index.json', () => {
  const index = JSON.parse(built('sdk/index.json'));
  assert.equal(index.version, pkg.version);
  assert.ok(index.files.includes('herald.js') && index.files.includes('herald.iife.js') && index.files.includes('version.js'),
    index.files.join(', '));
  for (const file of index.files) {
    const served = built(`sdk/${pkg.version}/${file}`);
    if (!file.endsWith('.iife.js')) {
      assert.equal(served, readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8'), file);
      // Every import of a served module resolves within the same folder, but a peer dependency's
      // (react for react.js), which the page's import map or bundler provides.
      for (const [, imported] of served.matchAll(/^(?:import|export)\b[^;]*?\bfrom '([^']+)'/gms)) {
        if (imported in (pkg.peerDependencies ?? {})) continue;
        assert.match(imported, /^\.\/[^/]+\.js$/, `${file} imports ${imported}`);
        assert.ok(index.files.includes(imported.slice(2)), `${file} imports ${imported}, which is served too`);
      }
    }
  }
});

test('the declarations cover every module and declare the Herald class', () => {
  const herald = built('types/herald.d.ts');
  assert.match(herald, /export class Herald\b/);
  assert.match(herald, /export \{ .*SubscriptionStates.* \} from "\.\/channels\.js"/s);
  assert.match(built('types/version.d.ts'), /export const SDK_VERSION: "\d+\.\d+\.\d+"/);
  for (const file of JSON.parse(built('sdk/index.json')).files.filter(name => !name.endsWith('.iife.js'))) {
    built(`types/${file.replace(/\.js$/, '.d.ts')}`);
  }
});
