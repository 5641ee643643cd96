/**
 * Crash safety of portrait analysis: kill -9 the analyser at several points, run it again each
 * time, and end with exactly the catalog an uninterrupted run makes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Db } from '../catalog/sqlite.ts';

const REPO = path.resolve(import.meta.dirname, '../../..');
const DEMO = path.resolve(REPO, '../shared/data/portraits/demo');
let tmp: string;
let folder: string;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-kill-'));
  folder = path.join(tmp, 'art');
  fs.mkdirSync(folder);
  for (const f of fs.readdirSync(DEMO).filter((f) => f.endsWith('.jpg')).sort().slice(0, 14)) fs.copyFileSync(path.join(DEMO, f), path.join(folder, f));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function analyse(db: string, killAfterLines?: number): Promise<{ code: number | null; lines: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO, 'electron/cli/portrait-songs.mjs'), 'analyze', folder, '--json', '--db', db], { stdio: ['ignore', 'pipe', 'ignore'] });
    let lines = 0;
    child.stdout.on('data', (d: Buffer) => {
      lines += d.toString().split('\n').length - 1;
      if (killAfterLines !== undefined && lines >= killAfterLines) child.kill('SIGKILL');
    });
    child.on('exit', (code) => resolve({ code, lines }));
  });
}

function rows(db: string) {
  const d = new Db(db, { readonly: true });
  try {
    assert.equal(d.pragma('integrity_check'), 'ok');
    return d.prepare('SELECT path, hash, width, height, faces_json, quadrant, error FROM portraits ORDER BY path').all();
  } finally {
    d.close();
  }
}

test('killed at several points, analysis resumes and ends with the uninterrupted catalog', async () => {
  const reference = path.join(tmp, 'ref', 'c.sqlite');
  assert.equal((await analyse(reference)).code, 0);
  const expected = rows(reference);
  assert.equal(expected.length, 14);

  const db = path.join(tmp, 'killed', 'c.sqlite');
  // Fixed kill points spread over the run (after 1, 5 and 9 printed results, and once at start).
  let survived = 0;
  for (const at of [1, 5, 9, 0]) {
    const run = await analyse(db, at);
    if (run.code !== 0) survived++;
    const now = rows(fs.existsSync(db) ? db : reference).length;
    assert.ok(now <= 14);
  }
  assert.ok(survived >= 3, `${survived} runs were killed`);
  assert.equal((await analyse(db)).code, 0);
  assert.deepEqual(rows(db), expected);
});
