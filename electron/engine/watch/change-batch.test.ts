import { test, mock, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeBatcher, type FileChange } from './change-batch.ts';

let batches: Map<string, FileChange>[];
let batcher: ChangeBatcher;

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout'] });
  batches = [];
  batcher = new ChangeBatcher({ quietMs: 100, maxWaitMs: 1000 }, (b) => batches.push(b));
});
afterEach(() => {
  batcher.close();
  mock.timers.reset();
});

const plain = (b: Map<string, FileChange> | undefined) => Object.fromEntries(b ?? []);

test('events close together make one batch, handed over once the folder is quiet', () => {
  batcher.note('added', '/f/a.jpg');
  mock.timers.tick(60);
  batcher.note('added', '/f/b.jpg');
  mock.timers.tick(60);
  batcher.note('removed', '/f/c.jpg');
  mock.timers.tick(99);
  assert.equal(batches.length, 0, 'still within the quiet period of the last event');
  mock.timers.tick(1);
  assert.equal(batches.length, 1);
  assert.deepEqual(plain(batches[0]), { '/f/a.jpg': 'added', '/f/b.jpg': 'added', '/f/c.jpg': 'removed' });
  assert.equal(batcher.size, 0);
  mock.timers.tick(5000);
  assert.equal(batches.length, 1, 'nothing more without new events');
});

test('a steady stream of events is still handed over at the latest after maxWaitMs', () => {
  for (let t = 0; t < 1500; t += 50) {
    batcher.note('added', `/f/${t}.jpg`);
    mock.timers.tick(50);
  }
  assert.ok(batches.length >= 1, 'a long copy gets analysed while it goes on');
  assert.equal(batches[0]!.size, 20, 'the first batch holds the first second of events');
});

test('the last word on a file wins, and what a file went through is merged sensibly', () => {
  batcher.note('added', '/f/new.jpg');
  batcher.note('changed', '/f/new.jpg');
  batcher.note('added', '/f/gone.jpg');
  batcher.note('removed', '/f/gone.jpg');
  batcher.note('removed', '/f/replaced.jpg');
  batcher.note('added', '/f/replaced.jpg');
  mock.timers.tick(100);
  assert.deepEqual(plain(batches[0]), { '/f/new.jpg': 'added', '/f/gone.jpg': 'removed', '/f/replaced.jpg': 'changed' });
});

test('closing drops pending events and ignores later ones', () => {
  batcher.note('added', '/f/a.jpg');
  batcher.close();
  batcher.note('added', '/f/b.jpg');
  mock.timers.tick(5000);
  assert.deepEqual(batches, []);
});
