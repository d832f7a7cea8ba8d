import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

import { PROTOCOL_VERSION, SDK_AGENT, SDK_NAME, SDK_VERSION } from '../src/version.js';
import { entries, globalName } from '../build.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

test("package.json's version is the SDK's, and its major is the wire protocol version", () => {
  assert.equal(pkg.version, SDK_VERSION);
  assert.equal(Number(SDK_VERSION.split('.')[0]), PROTOCOL_VERSION);
  assert.match(SDK_VERSION, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  assert.equal(SDK_AGENT, `${SDK_NAME}/${SDK_VERSION}`);
  assert.ok(SDK_AGENT.length <= 64, 'the gateway takes an sdk field of at most 64 characters');
});

test('the package has no runtime dependencies and is an ES module package', () => {
  assert.equal(pkg.dependencies, undefined);
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.name, '@herald/browser');
});

test('every entry point imports a file of src/ and has declarations beside it in dist/types', () => {
  const list = entries();
  assert.ok(list.some(entry => entry.subpath === '.' && entry.file === 'herald.js'), JSON.stringify(list));
  for (const { subpath, file } of list) {
    const target = pkg.exports[subpath];
    assert.ok(existsSync(new URL(`../src/${file}`, import.meta.url)), `exports["${subpath}"]: src/${file} exists`);
    assert.equal(target.types, `./dist/types/${file.replace(/\.js$/, '.d.ts')}`, `exports["${subpath}"].types`);
    assert.deepEqual(Object.keys(target), ['types', 'import'], `exports["${subpath}"]: types first (TypeScript reads the first match)`);
  }
  assert.equal(pkg.types, pkg.exports['.'].types);
  assert.equal(pkg.exports['./package.json'], './package.json');
});

test('an entry is one line: the build derives what it needs from it', () => {
  const only = { '.': pkg.exports['.'], './package.json': pkg.exports['./package.json'] };
  const more = { exports: { ...only, './inbox': { types: './dist/types/herald-inbox.d.ts', import: './src/herald-inbox.js' } } };
  assert.deepEqual(entries(more).map(entry => entry.file), ['herald.js', 'herald-inbox.js']);
  assert.equal(globalName('herald.js'), 'Herald');
  assert.equal(globalName('herald-inbox.js'), 'HeraldInbox');
});
