import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { ThreadPool } from './thread-pool.ts';

// A worker that answers each job with its thread id after `ms`, in the order jobs arrive; job
// `crash` makes it exit mid-job.
const SOURCE = `
const { parentPort, threadId } = require('node:worker_threads');
let chain = Promise.resolve();
parentPort.on('message', (job) => {
  chain = chain.then(() => new Promise((resolve) => setTimeout(() => {
    if (job.crash) process.exit(3);
    parentPort.postMessage({ id: job.id, thread: threadId, name: job.name });
    resolve();
  }, job.ms)));
});`;

type Result = { thread: number; name: string };
const pool = (size: number, depth: 1 | 2) =>
  new ThreadPool<Result>(size, () => new Worker(SOURCE, { eval: true }), (m) => {
    const x = m as { id: number } & Result;
    return { id: x.id, result: { thread: x.thread, name: x.name } };
  }, depth);

function run(p: ThreadPool<Result>, name: string, ms: number, crash = false): Promise<Result | Error | 'dropped'> {
  return new Promise((resolve) => {
    p.submit({ payload: { name, ms, crash }, done: resolve, crashed: resolve, dropped: () => resolve('dropped') });
  });
}

test('with depth 2 every worker gets a job before any gets a second, and all jobs finish once', async () => {
  const p = pool(2, 2);
  try {
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => run(p, n, 30)));
    const threads = results.map((r) => (r as Result).thread);
    assert.notEqual(threads[0], threads[1], 'the first two jobs went to different workers');
    assert.deepEqual(results.map((r) => (r as Result).name), ['a', 'b', 'c', 'd', 'e']);
  } finally {
    await p.close();
  }
});

test('with depth 2 a crash fails only the running job; the one queued behind it runs on the replacement', async () => {
  const p = pool(1, 2);
  try {
    const crashed = run(p, 'boom', 20, true);
    const queued = run(p, 'next', 10);
    const r1 = await crashed;
    assert.ok(r1 instanceof Error, 'the running job reports the crash');
    const r2 = await queued;
    assert.equal((r2 as Result).name, 'next', 'the queued job was not lost with the worker');
  } finally {
    await p.close();
  }
});

test('dropWaiting takes back only jobs no worker holds', async () => {
  const p = pool(1, 2);
  try {
    const held = [run(p, 'a', 30), run(p, 'b', 30)];
    const waiting = run(p, 'c', 30);
    assert.equal(p.dropWaiting(), 1);
    assert.equal(await waiting, 'dropped');
    assert.deepEqual((await Promise.all(held)).map((r) => (r as Result).name), ['a', 'b']);
  } finally {
    await p.close();
  }
});

test('with depth 2 the last jobs are not queued behind a long one while another worker is free', async () => {
  const p = pool(2, 2);
  try {
    const order: string[] = [];
    const track = (name: string, ms: number) => run(p, name, ms).then((r) => (order.push(name), r as Result));
    const [long, , last] = await Promise.all([track('long', 600), track('short', 20), track('last', 20)]);
    assert.notEqual(last.thread, long.thread, 'the last job ran on the worker that was free');
    assert.deepEqual(order, ['short', 'last', 'long']);
  } finally {
    await p.close();
  }
});
