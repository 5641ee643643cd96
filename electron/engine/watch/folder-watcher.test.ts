/** The chokidar-backed watcher on a real temporary folder: what it reports, in what batches. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isImageFile } from '../scan/walk-files.ts';
import type { FileChange } from './change-batch.ts';
import { watchFolder, type FolderWatch } from './folder-watcher.ts';

let tmp: string;
before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-watch-'))));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * A watcher whose reports can be awaited: `next(n)` merges batches until `n` files are reported
 * (a loaded machine may split one burst over two batches; the batching itself is tested on its own).
 */
function observe(folder: string): { watch: FolderWatch; next(files?: number, timeoutMs?: number): Promise<Record<string, FileChange>>; count(): number } {
  const queue: Map<string, FileChange>[] = [];
  let wake: (() => void) | null = null;
  const watch = watchFolder(folder, {
    accept: isImageFile,
    timing: { quietMs: 150, maxWaitMs: 2000 },
    writeSettleMs: 100,
    onChanges: (b) => {
      queue.push(b);
      wake?.();
    },
  });
  return {
    watch,
    count: () => queue.length,
    async next(files = 1, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      const merged = new Map<string, FileChange>();
      while (merged.size < files) {
        if (Date.now() > deadline) throw new Error(`only ${[...merged.keys()]} reported`);
        const b = queue.shift();
        // Relative names keep the assertions short.
        if (b) for (const [p, c] of b) merged.set(path.relative(folder, p), c);
        else await Promise.race([new Promise<void>((r) => (wake = r)), sleep(100)]);
      }
      await sleep(300); // anything more that should not be there
      for (const b of queue.splice(0)) for (const [p, c] of b) merged.set(path.relative(folder, p), c);
      return Object.fromEntries(merged);
    },
  };
}

test('new, changed, moved and deleted images are reported in debounced batches; other files are not', async () => {
  const folder = path.join(tmp, 'art');
  fs.mkdirSync(path.join(folder, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'old.jpg'), 'x');
  const o = observe(folder);
  try {
    await o.watch.ready;
    fs.writeFileSync(path.join(folder, 'a.jpg'), 'a');
    fs.writeFileSync(path.join(folder, 'sub', 'b.png'), 'b');
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'not an image');
    fs.mkdirSync(path.join(folder, '.hidden'));
    fs.writeFileSync(path.join(folder, '.hidden', 'c.jpg'), 'hidden, as the scan treats it');
    assert.deepEqual(await o.next(2), { 'a.jpg': 'added', [path.join('sub', 'b.png')]: 'added' }, 'nothing for text or hidden files');

    fs.appendFileSync(path.join(folder, 'old.jpg'), 'more');
    assert.deepEqual(await o.next(), { 'old.jpg': 'changed' });

    fs.renameSync(path.join(folder, 'a.jpg'), path.join(folder, 'sub', 'a.jpg'));
    fs.rmSync(path.join(folder, 'old.jpg'));
    assert.deepEqual(await o.next(3), { 'a.jpg': 'removed', [path.join('sub', 'a.jpg')]: 'added', 'old.jpg': 'removed' });

    fs.rmSync(path.join(folder, 'sub'), { recursive: true });
    const gone = await o.next();
    assert.equal(gone.sub, 'removed', 'a removed folder is reported');
  } finally {
    await o.watch.close();
  }
});

test('after close, nothing more is reported', async () => {
  const folder = path.join(tmp, 'closed');
  fs.mkdirSync(folder);
  const o = observe(folder);
  await o.watch.ready;
  fs.writeFileSync(path.join(folder, 'a.jpg'), 'a');
  await o.watch.close();
  await sleep(600);
  assert.equal(o.count(), 0, 'the pending batch was dropped with the watcher');
});
