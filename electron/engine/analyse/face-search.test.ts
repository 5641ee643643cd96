import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../engine.ts';
import type { EngineEvent } from '../../../shared/api.ts';

const DEMO = path.resolve(import.meta.dirname, '../../../../shared/data/portraits/demo');
const PICKS = ['aic-2823.jpg', 'aic-4081.jpg', 'aic-2179.jpg', 'met-437173.jpg'];
let tmp: string;
let folder: string;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-face-search-'));
  folder = path.join(tmp, 'art');
  fs.mkdirSync(folder);
  for (const f of PICKS) fs.copyFileSync(path.join(DEMO, f), path.join(folder, f));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const analysers = async (engine: Engine) => {
  await engine.idle();
  return new Set(engine.db.prepare<[], { analyser: string }>('SELECT analyser FROM portraits').all().map((r) => r.analyser.split('+')[0]!.replace(/\..*/, '')));
};

test('the face search is kept in the data folder and read at start-up; the CLI may pin its own', async () => {
  const dataDir = path.join(tmp, 'kept');
  const first = new Engine({ dataDir });
  try {
    assert.equal((await first.getInfo()).faceSearch, 'thorough', 'thorough until the person chooses');
    assert.equal((await first.setFaceSearch({ mode: 'quick' })).faceSearch, 'quick');
    assert.equal((await first.getInfo()).faceSearch, 'quick');
    assert.equal(first.detect, 'fast');
  } finally {
    first.close();
  }
  const again = new Engine({ dataDir });
  try {
    assert.equal((await again.getInfo()).faceSearch, 'quick');
    assert.equal(again.detect, 'fast');
  } finally {
    again.close();
  }
  const cli = new Engine({ dataDir, detect: 'art' });
  try {
    assert.equal((await cli.getInfo()).faceSearch, 'thorough', 'analyze without --fast stays thorough');
  } finally {
    cli.close();
  }
  const later = new Engine({ dataDir });
  try {
    assert.equal((await later.getInfo()).faceSearch, 'quick', 'a pinned preset is not stored');
  } finally {
    later.close();
  }
});

test('a running job keeps its search; the next scan analyses the folder again with the new one', async () => {
  const events: EngineEvent[] = [];
  const engine = new Engine({ dataDir: path.join(tmp, 'switch'), analysisWorkers: 1, emit: (e) => events.push(e) });
  try {
    const firstFace = new Promise<void>((resolve) => {
      const off = engine.subscribe((e) => {
        if (e.type === 'portrait-analysed') {
          off();
          resolve();
        }
      });
    });
    const opened = await engine.openFolder({ path: folder, kind: 'portraits' });
    assert.ok(opened.jobId);
    await firstFace;
    await engine.setFaceSearch({ mode: 'quick' });
    assert.deepEqual(await analysers(engine), new Set(['detect:art']), 'every row of the running job under the search it began with');

    const reopened = await engine.openFolder({ path: folder, kind: 'portraits' });
    assert.ok(reopened.jobId, 'analysed again under the quick search');
    assert.deepEqual(await analysers(engine), new Set(['detect:fast']));
    const finished = events.filter((e) => e.type === 'job-finished');
    assert.deepEqual(finished.map((e) => e.type === 'job-finished' && e.done), [PICKS.length, PICKS.length]);
    const portraits = await engine.listPortraits({ folder });
    assert.equal(portraits.length, PICKS.length);
    assert.ok(portraits.every((p) => p.status === 'done'), 'the quick search reads every portrait');
    assert.ok(portraits.some((p) => p.faces.length > 0), 'and finds faces on paintings');

    const settled = await engine.openFolder({ path: folder, kind: 'portraits' });
    assert.equal(settled.jobId, null, 'nothing to redo once the folder is analysed under the search in use');
  } finally {
    engine.close();
  }
});
