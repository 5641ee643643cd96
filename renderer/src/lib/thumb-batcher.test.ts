import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ThumbBatcher } from './thumb-batcher.ts';

function setup(opts: { batch?: number; capacity?: number; fail?: boolean; now?: () => number } = {}) {
  const calls: string[][] = [];
  const delivered: [string, string | null | undefined][] = [];
  let run: (() => void) | null = null;
  const b = new ThumbBatcher({
    fetch: async (names) => {
      calls.push(names);
      if (opts.fail) throw new Error('gone');
      return names.map((n) => (n.startsWith('x') ? null : `data:${n}`));
    },
    deliver: (n, u) => delivered.push([n, u]),
    batch: opts.batch ?? 3,
    capacity: opts.capacity ?? 100,
    schedule: (r) => (run = r),
    retryMs: 5,
    minAgeMs: 1000,
    now: opts.now ?? (() => 0),
  });
  const flush = async () => {
    run?.();
    run = null;
    await new Promise((r) => setImmediate(r));
  };
  return { b, calls, delivered, flush };
}

test('names asked for in one task go out together, in batches of at most `batch`', async () => {
  const { b, calls, delivered, flush } = setup({ batch: 3 });
  for (const n of ['a', 'b', 'c', 'd', 'a', 'xe']) b.want(n);
  await flush();
  assert.deepEqual(calls, [['a', 'b', 'c'], ['d', 'xe']]);
  assert.deepEqual(new Map(delivered), new Map<string, string | null>([['a', 'data:a'], ['b', 'data:b'], ['c', 'data:c'], ['d', 'data:d'], ['xe', null]]));
});

test('a name answered or on its way is not asked for again', async () => {
  const { b, calls, flush } = setup();
  b.want('a');
  await flush();
  b.want('a');
  b.want('b');
  await flush();
  assert.deepEqual(calls, [['a'], ['b']]);
});

test('a failed call answers null, then lets its names be asked for again a while later', async () => {
  const { b, calls, delivered, flush } = setup({ fail: true });
  b.want('a');
  await flush();
  b.want('a');
  await flush();
  assert.deepEqual(calls, [['a']], 'not asked again at once');
  assert.deepEqual(delivered, [['a', null]]);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(delivered, [['a', null], ['a', undefined]]);
  b.want('a');
  await flush();
  assert.deepEqual(calls, [['a'], ['a']]);
});

test('beyond its capacity it lets the oldest answers go, once old enough, and asks for them again when wanted', async () => {
  let t = 0;
  const { b, calls, delivered, flush } = setup({ capacity: 2, batch: 10, now: () => t });
  for (const n of ['a', 'b', 'c']) b.want(n);
  await flush();
  assert.deepEqual(delivered.filter(([, u]) => u === undefined), [], 'answers younger than minAgeMs are all kept (more cards on screen than the capacity)');
  t = 2000;
  b.want('d');
  await flush();
  assert.deepEqual(delivered.filter(([, u]) => u === undefined), [['a', undefined], ['b', undefined]]);
  b.want('a');
  b.want('c');
  await flush();
  assert.deepEqual(calls, [['a', 'b', 'c'], ['d'], ['a']]);
});
