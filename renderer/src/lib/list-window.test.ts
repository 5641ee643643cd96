import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listWindow, scrollToRow } from './list-window.ts';

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
