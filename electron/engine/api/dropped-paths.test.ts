import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DROP_MEMORY_MS, DroppedPaths } from './dropped-paths.ts';

test('only paths a real drop carried are allowed, and only for a while', () => {
  let now = 1_000;
  const d = new DroppedPaths(() => now);
  assert.equal(d.allows(['/music']), false);
  d.record(['/music', '/art/a.jpg']);
  assert.equal(d.allows(['/music']), true);
  assert.equal(d.allows(['/music/../music']), true, 'compared resolved');
  assert.equal(d.allows(['/music', '/etc']), false, 'every path must have been dropped');
  assert.equal(d.allows([]), false);
  now += DROP_MEMORY_MS + 1;
  assert.equal(d.allows(['/music']), false);
});

test('anything but a list of absolute paths is ignored', () => {
  const d = new DroppedPaths();
  for (const junk of ['/x', 42, null, { 0: '/x' }, ['relative', '/ok\0no', 7], new Array(5000).fill('/many')]) d.record(junk);
  assert.equal(d.allows(['/x']), false);
  assert.equal(d.allows(['relative']), false);
  assert.equal(d.allows(['/many']), false);
});
