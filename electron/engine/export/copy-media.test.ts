import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyMedia } from './copy-media.ts';

function sources(n: number): { root: string; files: string[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'copy-media-'));
  fs.mkdirSync(path.join(root, 'src'));
  const files = Array.from({ length: n }, (_, i) => {
    const f = path.join(root, 'src', `f${i}.bin`);
    fs.writeFileSync(f, Buffer.alloc(1000 + i * 37, i));
    return f;
  });
  return { root, files };
}

test('copies every file, a few at a time, into the folders the plan names', async () => {
  const { root, files } = sources(23);
  try {
    const dir = path.join(root, 'export');
    fs.mkdirSync(dir);
    const copies = files.map((f, i) => ({ from: f, to: `${i % 2 ? 'songs' : 'portraits'}/copy ${i}.bin` }));
    await copyMedia(dir, copies, 4);
    for (const c of copies) assert.deepEqual(fs.readFileSync(path.join(dir, c.to)), fs.readFileSync(c.from));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['portraits', 'songs']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a file that cannot be read stops the copy with its name; no copy starts after it', async () => {
  const { root, files } = sources(40);
  try {
    const dir = path.join(root, 'export');
    fs.mkdirSync(dir);
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
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a copy never overwrites a file already in the export', async () => {
  const { root, files } = sources(2);
  try {
    const dir = path.join(root, 'export');
    fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'media', 'taken.bin'), 'mine');
    await assert.rejects(copyMedia(dir, [{ from: files[0]!, to: 'media/taken.bin' }]), /Could not copy/);
    assert.equal(fs.readFileSync(path.join(dir, 'media', 'taken.bin'), 'utf8'), 'mine');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
