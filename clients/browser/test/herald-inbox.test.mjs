import { test } from 'node:test';
import assert from 'node:assert/strict';

// The element's module loads outside a browser (server-side rendering): it defines nothing there.
import { HeraldInboxElement, badgeText, timeAgo } from '../src/herald-inbox.js';

test('the badge shows nothing at 0 and 99+ above 99', () => {
  assert.equal(badgeText(0), '');
  assert.equal(badgeText(1), '1');
  assert.equal(badgeText(99), '99');
  assert.equal(badgeText(100), '99+');
});

test('times ago read as words, then as a date', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  assert.equal(timeAgo('2026-12-03T11:59:30Z', now), 'just now');
  assert.equal(timeAgo('2026-12-03T11:55:00Z', now), '5 min ago');
  assert.equal(timeAgo('2026-12-03T09:00:00Z', now), '3 h ago');
  assert.equal(timeAgo('2026-12-01T12:00:00Z', now), '2 d ago');
  assert.equal(timeAgo('not a date', now), '');
  assert.equal(timeAgo(null, now), '');
  assert.match(timeAgo('2026-01-01T00:00:00Z', now), /2026|26/);
});

test('the module loads without a DOM', () => {
  assert.equal(typeof HeraldInboxElement, 'function');
  assert.equal(globalThis.customElements, undefined);
});
