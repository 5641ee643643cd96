import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readThumb } from './read-thumb.ts';

let dir: string;
let outside: string;

before(() => {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ps-read-thumb-')));
  dir = path.join(tmp, 'thumbs');
  fs.mkdirSync(dir);
  outside = path.join(tmp, 'secret.jpg');
  fs.writeFileSync(outside, 'secret');
  fs.writeFileSync(path.join(dir, 'aaaaaaaa01.jpg'), 'thumb');
  fs.symlinkSync(outside, path.join(dir, 'bbbbbbbb02.jpg'));
  fs.mkdirSync(path.join(dir, 'cccccccc03.jpg'));
  if (process.platform !== 'win32') execFileSync('mkfifo', [path.join(dir, 'dddddddd04.jpg')]);
});
after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

test('reads a thumbnail whole', async () => {
  const t = await readThumb(dir, 'aaaaaaaa01.jpg');
  assert.equal(t?.bytes.toString(), 'thumb');
  assert.equal(t?.stat.size, 5);
});

test('refuses a link, a folder, a FIFO, a missing file and any name that is not a thumbnail', async () => {
  for (const name of ['bbbbbbbb02.jpg', 'cccccccc03.jpg', 'dddddddd04.jpg', 'eeeeeeee05.jpg', '../secret.jpg', 'secret.jpg', 'AAAAAAAA01.jpg', 'aaaaaaaa01.jpg\n']) {
    assert.equal(await readThumb(dir, name), null, name);
  }
});
