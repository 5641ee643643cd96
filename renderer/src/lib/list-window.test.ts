import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listWindow, poolSize, recycledSlots, scrollToRow } from './list-window.ts';

test('the window covers the rows in view and the overscan, never past the ends', () => {
  assert.deepEqual(listWindow(20_000, 100, 0, 550, 4), { first: 0, last: 10 });
  assert.deepEqual(listWindow(20_000, 100, 1_000_050, 550, 4), { first: 9996, last: 10010 });
  assert.deepEqual(listWindow(20_000, 100, 2_000_000 - 550, 550, 4), { first: 19990, last: 20000 });
  assert.deepEqual(listWindow(0, 100, 0, 550), { first: 0, last: 0 });
  assert.deepEqual(listWindow(3, 100, 0, 0, 0), { first: 0, last: 1 });
});

test('scrolling to a row moves only as far as needed', () => {
  assert.equal(scrollToRow(5, 100, 0, 1000), 0);
  assert.equal(scrollToRow(50, 100, 0, 1000), 4100);
  assert.equal(scrollToRow(2, 100, 4100, 1000), 200);
});

test('recycled slots show every row of the window once, and a row keeps its slot while the window moves', () => {
  const size = poolSize(44, 600, 5);
  assert.equal(size, 25);
  const seen = new Map<number, number>();
  for (let top = 0; top < 44 * 200; top += 97) {
    const win = listWindow(200, 44, top, 600, 5);
    const slots = recycledSlots(win, size);
    const rows = slots.filter((i) => i >= 0).sort((a, b) => a - b);
    assert.deepEqual(rows, Array.from({ length: win.last - win.first }, (_, k) => win.first + k));
    slots.forEach((i, s) => {
      if (i < 0) return;
      if (seen.has(i)) assert.equal(seen.get(i), s, `row ${i} moved to another slot`);
      seen.set(i, s);
    });
  }
  // A window larger than the pool (the view grew) still shows all its rows.
  assert.deepEqual(recycledSlots({ first: 3, last: 9 }, 4).sort((a, b) => a - b), [3, 4, 5, 6, 7, 8]);
  assert.deepEqual(recycledSlots({ first: 0, last: 0 }, 3), [-1, -1, -1]);
});
