import { test } from 'node:test';
import assert from 'node:assert/strict';

import { compareCursors, epochsAgree, hasReached, isAfter, laterCursor, parseCursor, tokenExpiry } from '../src/herald.js';

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

test('parses cursors with an epoch; malformed epochs are rejected', () => {
  assert.deepEqual(parseCursor('7-10452@Xk3fQ9aB'), { partition: 7, offset: 10452, epoch: 'Xk3fQ9aB' });
  assert.deepEqual(parseCursor('3--1@a_-Z9'), { partition: 3, offset: -1, epoch: 'a_-Z9' });
  assert.equal(parseCursor(`7-1@${'a'.repeat(22)}`).epoch, 'a'.repeat(22));
  for (const bad of ['7-1@', `7-1@${'a'.repeat(23)}`, '7-1@a.b', '7-1@a b', '7-1@@a', '7-1@a@b', '7@e-1', '@e', '7-1@é']) {
    assert.equal(parseCursor(bad), null, bad);
  }
});

test('compares by partition and offset only, whatever the epochs', () => {
  assert.equal(compareCursors('7-9@a', '7-10@b'), -1);
  assert.equal(compareCursors('7-10@a', '7-10'), 0);
  assert.ok(Number.isNaN(compareCursors('7-10@a', '8-10@a')));
  assert.ok(hasReached('7-10@a', '7-10'));
  assert.ok(hasReached('7-11', '7-10@a'));
  assert.ok(!hasReached('7-9@a', '7-10@a'));
  assert.ok(!hasReached('8-99', '7-10'));
  assert.ok(epochsAgree('7-1@a', '7-5@a'));
  assert.ok(epochsAgree('7-1', '7-5@a'));
  assert.ok(!epochsAgree('7-1@a', '7-5@b'));
});

test('keeps the string it was given; a newer epoch wins even at a lower offset; never invents one', () => {
  assert.equal(laterCursor('7-3@e', '7-30@e'), '7-30@e');
  assert.equal(laterCursor('7-30@e', '7-3@e'), '7-30@e');
  assert.equal(laterCursor('7-500@old', '7-3@new'), '7-3@new', 'the topic was recreated: offsets started over');
  assert.equal(laterCursor('7-3', '7-3@e'), '7-3@e', 'at one position, the one with an epoch');
  assert.equal(laterCursor('7-3@e', '7-3'), '7-3@e');
  assert.equal(laterCursor('7-12', '7-10@e'), '7-12', 'the later position, without an epoch rather than a made-up one');
  assert.equal(laterCursor('7-3@e', '7-4'), '7-4');
  assert.equal(laterCursor('7-3@e', '7-1@bad.epoch'), '7-3@e');
});

test('reads a JWT expiry from its exp claim, and nothing from what is not a JWT', () => {
  const payload = Buffer.from(JSON.stringify({ sub: 'alice', exp: 1_800_000_000 })).toString('base64url');
  assert.equal(tokenExpiry(`eyJhbGciOiJIUzI1NiJ9.${payload}.sig`), 1_800_000_000_000);
  assert.equal(tokenExpiry('not-a-jwt'), null);
  assert.equal(tokenExpiry(null), null);
});
