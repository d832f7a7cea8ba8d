import { test } from 'node:test';
import assert from 'node:assert/strict';

import { compareCursors, isAfter, laterCursor, parseCursor, tokenExpiry } from '../src/herald.js';

test('parses partition-offset cursors, including the position before the first record', () => {
  assert.deepEqual(parseCursor('7-10452'), { partition: 7, offset: 10452 });
  assert.deepEqual(parseCursor('3--1'), { partition: 3, offset: -1 });
  for (const bad of [null, undefined, '', '7', '7-', '-1', 'a-b', '7-1-2', ' 7-1', 7]) {
    assert.equal(parseCursor(bad), null, String(bad));
  }
});

test('compares cursors by offset within one partition, numerically not as text', () => {
  assert.equal(compareCursors('7-9', '7-10'), -1);
  assert.equal(compareCursors('7-10', '7-9'), 1);
  assert.equal(compareCursors('7-10', '7-10'), 0);
  assert.equal(compareCursors('3--1', '3-0'), -1);
  assert.ok(isAfter('7-10', '7-9'));
  assert.ok(!isAfter('7-9', '7-9'));
});

test('cursors of different partitions are not comparable', () => {
  assert.ok(Number.isNaN(compareCursors('7-10', '8-1')));
  assert.ok(!isAfter('8-100', '7-1'));
  assert.ok(Number.isNaN(compareCursors('7-10', 'garbage')));
});

test('keeps the later cursor; a cursor of another partition replaces the current one', () => {
  assert.equal(laterCursor(null, '7-3'), '7-3');
  assert.equal(laterCursor('7-3', '7-2'), '7-3');
  assert.equal(laterCursor('7-3', '7-30'), '7-30');
  assert.equal(laterCursor('7-3', undefined), '7-3');
  assert.equal(laterCursor('7-3', 'nonsense'), '7-3');
  assert.equal(laterCursor('7-3', '2-1'), '2-1');
});

test('reads a JWT expiry from its exp claim, and nothing from what is not a JWT', () => {
  const payload = Buffer.from(JSON.stringify({ sub: 'alice', exp: 1_800_000_000 })).toString('base64url');
  assert.equal(tokenExpiry(`eyJhbGciOiJIUzI1NiJ9.${payload}.sig`), 1_800_000_000_000);
  assert.equal(tokenExpiry('not-a-jwt'), null);
  assert.equal(tokenExpiry(null), null);
});
