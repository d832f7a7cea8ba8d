import { test } from 'node:test';
import assert from 'node:assert/strict';

import { HeraldError } from '../src/herald.js';
import { setup } from '../test-support/setup.mjs';

test('setPreferences PUTs the whole set as JSON and getPreferences reads it back', async () => {
  const { server, herald } = setup();
  assert.deepEqual((await herald.getPreferences()).rules, []);

  const rules = [{ type: 'marketing.*', mute: true }, { type: 'marketing.receipt', mute: false }];
  const result = await herald.setPreferences(rules);

  assert.equal(result.applied, true);
  const put = server.requests.find(r => r.method === 'PUT');
  assert.equal(put.url.pathname, '/v1/me/preferences');
  assert.equal(put.contentType, 'application/json');
  assert.equal(put.token, 't1');
  assert.deepEqual(JSON.parse(put.body), { rules });
  const read = await herald.getPreferences();
  assert.deepEqual(read.rules, rules);
  assert.equal(read.cursor, result.cursor);
});

test('a refused set rejects with the store\'s status and detail', async () => {
  const { herald } = setup();
  await assert.rejects(herald.setPreferences([{ type: 'a.*', mute: 'yes' }]), error => {
    assert.ok(error instanceof HeraldError);
    assert.equal(error.status, 400);
    assert.match(error.message, /rules\[0\]\.mute/);
    return true;
  });
  assert.deepEqual((await herald.getPreferences()).rules, []);
});

test('a GET carries no body and no content type', async () => {
  const { server, herald } = setup();
  await herald.getPreferences();
  const get = server.requests.find(r => r.url.pathname === '/v1/me/preferences');
  assert.equal(get.body, undefined);
  assert.equal(get.contentType, undefined);
});
