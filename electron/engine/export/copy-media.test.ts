import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyMedia } from './copy-media.ts';

/** Runs `body` with `n` source files of different sizes and an empty export folder, then removes both. */
async function withSources(n: number, body: (files: string[], dir: string, root: string) => Promise<void>): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'copy-media-'));
  try {
    fs.mkdirSync(path.join(root, 'src'));
    const files = Array.from({ length: n }, (_, i) => {
      const f = path.join(root, 'src', `f${i}.bin`);
      fs.writeFileSync(f, Buffer.alloc(1000 + i * 37, i));
      return f;
    });
    const dir = path.join(root, 'export');
    fs.mkdirSync(dir);
    await body(files, dir, root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

test('copies every file, a few at a time, into the folders the plan names', async () => {
  await withSources(23, async (files, dir) => {
    const copies = files.map((f, i) => ({ from: f, to: `${i % 2 ? 'songs' : 'portraits'}/copy ${i}.bin` }));
    await copyMedia(dir, copies, 4);
    for (const c of copies) assert.deepEqual(fs.readFileSync(path.join(dir, c.to)), fs.readFileSync(c.from));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['portraits', 'songs']);
  });
});

test('a file that cannot be read stops the copy with its name; no copy starts after it', async () => {
  await withSources(40, async (files, dir, root) => {
    const missing = path.join(root, 'src', 'gone.bin');
    const list = [...files.slice(0, 10), missing, ...files.slice(10)];
    const copies = list.map((f, i) => ({ from: f, to: `media/${i}.bin` }));
    await assert.rejects(copyMedia(dir, copies, 4), (err: Error) => {
      assert.match(err.message, /Could not copy .*gone\.bin into the export/);
      return true;
    });
    // At most the copies already under way beside the failing one finish (concurrency − 1).
    const copied = fs.readdirSync(path.join(dir, 'media')).length;
    assert.ok(copied >= 10 && copied <= 10 + 3, `${copied} copied`);
  });
});

test('a copy never overwrites a file already in the export', async () => {
  await withSources(2, async (files, dir) => {
    fs.mkdirSync(path.join(dir, 'media'));
    fs.writeFileSync(path.join(dir, 'media', 'taken.bin'), 'mine');
    await assert.rejects(copyMedia(dir, [{ from: files[0]!, to: 'media/taken.bin' }]), /Could not copy/);
    assert.equal(fs.readFileSync(path.join(dir, 'media', 'taken.bin'), 'utf8'), 'mine');
  });
});
