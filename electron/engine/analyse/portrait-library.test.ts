import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../engine.ts';
import type { EngineEvent } from '../../../shared/api.ts';

const DEMO = path.resolve(import.meta.dirname, '../../../../shared/data/portraits/demo');
const PICKS = ['aic-2158.jpg', 'aic-4788.jpg', 'aic-2092.jpg'];
let tmp: string;
let folder: string;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-lib-'));
  folder = path.join(tmp, 'art ünïcode');
  fs.mkdirSync(path.join(folder, 'nested'), { recursive: true });
  for (const f of PICKS) fs.copyFileSync(path.join(DEMO, f), path.join(folder, f));
  fs.writeFileSync(path.join(folder, 'nested', 'broken.jpg'), 'not really a jpeg');
  fs.writeFileSync(path.join(folder, 'readme.txt'), 'ignored: not an image');
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('opening a folder analyses each image once, stores errors, and reuses the catalog', async () => {
  const events: EngineEvent[] = [];
  const engine = new Engine({ dataDir: path.join(tmp, 'data'), emit: (e) => events.push(e) });
  try {
    const first = await engine.openFolder({ path: folder, kind: 'portraits' });
    assert.equal(first.total, 4);
    assert.ok(first.jobId);
    await engine.idle();
    const finished = events.find((e) => e.type === 'job-finished');
    assert.ok(finished && finished.type === 'job-finished');
    assert.equal(finished.done, 4);
    assert.equal(finished.failed, 1);
    assert.equal(events.filter((e) => e.type === 'portrait-analysed').length, 4);
    const progress = events.filter((e) => e.type === 'job-progress');
    assert.ok(progress.length >= 4 && progress.at(-1)!.type === 'job-progress');

    const list = await engine.listPortraits({ folder });
    assert.deepEqual(list.map((p) => p.name), ['aic-2092.jpg', 'aic-2158.jpg', 'aic-4788.jpg', path.join('nested', 'broken.jpg')]);
    const broken = list.find((p) => p.name.endsWith('broken.jpg'))!;
    assert.equal(broken.status, 'error');
    assert.match(broken.error ?? '', /Not an image format/);
    const twoFaces = list.find((p) => p.name === 'aic-4788.jpg')!;
    assert.equal(twoFaces.faces.length, 2);
    for (const face of twoFaces.faces) {
      const [x, y, w, h] = face.box;
      assert.ok(x >= 0 && y >= 0 && x + w <= twoFaces.width! + 0.5 && y + h <= twoFaces.height! + 0.5);
      assert.ok(Math.abs(Object.values(face.probs).reduce((a, b) => a + b, 0) - 1) < 0.01);
    }
    assert.ok(twoFaces.thumb && fs.existsSync(path.join(engine.thumbsDir, twoFaces.thumb)));

    const again = await engine.openFolder({ path: folder, kind: 'portraits' });
    assert.equal(again.jobId, null, 'nothing to do when nothing changed');

    // Same bytes with a new mtime: re-hashed, not re-analysed.
    const touched = path.join(folder, 'aic-2158.jpg');
    fs.utimesSync(touched, new Date(), new Date(Date.now() + 5000));
    const before = (await engine.listPortraits({ folder })).find((p) => p.name === 'aic-2158.jpg')!;
    const results: boolean[] = [];
    await engine.analyseFiles([touched], (_row, analysed) => results.push(analysed));
    assert.deepEqual(results, [false]);

    // A copy elsewhere: recognised by content.
    const copy = path.join(folder, 'nested', 'copy of 2158.jpg');
    fs.copyFileSync(touched, copy);
    await engine.analyseFiles([copy], (row, analysed) => {
      assert.equal(analysed, false);
      assert.equal(row.faces_json, JSON.stringify(before.faces));
    });
  } finally {
    engine.close();
  }
});

test('a cancelled job stops early and keeps what was finished', async () => {
  // Enough images that the analysis workers (a few images in flight at a time) cannot have
  // finished them all by the time the cancel arrives.
  const many = path.join(tmp, 'many');
  fs.mkdirSync(many);
  for (const f of fs.readdirSync(DEMO).filter((f) => f.endsWith('.jpg')).sort().slice(0, 12)) fs.copyFileSync(path.join(DEMO, f), path.join(many, f));
  const folder = many;
  const events: EngineEvent[] = [];
  const engine = new Engine({ dataDir: path.join(tmp, 'data-cancel'), emit: (e) => events.push(e) });
  try {
    const opened = await engine.openFolder({ path: folder, kind: 'portraits' });
    assert.equal(opened.total, 12);
    await new Promise<void>((resolve) => {
      const off = engine.subscribe((e) => {
        if (e.type === 'portrait-analysed') {
          off();
          resolve();
        }
      });
    });
    assert.deepEqual(await engine.cancelJob({ jobId: opened.jobId! }), { cancelled: true });
    await engine.idle();
    const finished = events.find((e) => e.type === 'job-finished');
    assert.ok(finished?.type === 'job-finished' && finished.cancelled);
    const kept = (await engine.listPortraits({ folder })).length;
    assert.ok(kept >= 1 && kept < opened.total, `kept ${kept} of ${opened.total}`);
    const resumed = await engine.openFolder({ path: folder, kind: 'portraits' });
    assert.ok(resumed.jobId);
    await engine.idle();
    assert.equal((await engine.listPortraits({ folder })).length, opened.total);
  } finally {
    engine.close();
  }
});
