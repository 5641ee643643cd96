/**
 * The ordered commit of pooled analysis: results that finish out of order are still written in
 * the list's order; a cancel stops reading further files and commits what had finished; the
 * worker count setting is validated.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCatalog, type Db } from '../catalog/open-catalog.ts';
import { PortraitsTable } from '../catalog/portraits-table.ts';
import { analyseInOrder, type Analyser } from './analyse-in-order.ts';
import type { AnalysisOutcome } from './portrait-library.ts';
import { analysisWorkerCount } from './portrait-pool.ts';

let tmp: string;
let files: string[];

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-order-'));
  files = Array.from({ length: 8 }, (_, i) => {
    const f = path.join(tmp, `img-${i}.jpg`);
    fs.writeFileSync(f, `image ${i}`);
    return f;
  });
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const outcome = (n: number): AnalysisOutcome => ({
  ok: true,
  value: { analysis: { width: n, height: n, faces: [], quadrant: null, valence: null, arousal: null, mood: null }, thumb: `t${n}.jpg` },
});

/** Jobs finish in reverse order of arrival within each window. */
function reversingAnalyser(window: number): Analyser & { started: number; pending: { resolve: (o: AnalysisOutcome | null) => void; n: number }[] } {
  const a = {
    window,
    started: 0,
    pending: [] as { resolve: (o: AnalysisOutcome | null) => void; n: number }[],
    analyse(bytes: Buffer): Promise<AnalysisOutcome | null> {
      a.started++;
      const n = Number(bytes.toString().split(' ')[1]);
      return new Promise((resolve) => {
        a.pending.push({ resolve, n });
        // The last call (not the last file: reads may finish out of order) flushes what is left.
        if (a.pending.length === window || a.started === files.length) {
          for (const p of a.pending.splice(0).reverse()) p.resolve(outcome(p.n));
        }
      });
    },
    dropWaiting() {
      for (const p of a.pending.splice(0)) p.resolve(null);
    },
  };
  return a;
}

function catalog(name: string): { db: Db; portraits: PortraitsTable } {
  const db = openCatalog(path.join(tmp, `${name}.sqlite`));
  return { db, portraits: new PortraitsTable(db) };
}

test('results finishing out of order are committed in the order of the list', async () => {
  const { db, portraits } = catalog('order');
  try {
    const committed: string[] = [];
    await analyseInOrder(files, { portraits, detect: 'art', thumbsDir: tmp, analyser: 'test' }, reversingAnalyser(4), {
      onResult: (file, row, analysed) => {
        assert.equal(analysed, true);
        assert.equal(row.width, files.indexOf(file));
        committed.push(file);
      },
    });
    assert.deepEqual(committed, files);
    assert.equal(files.filter((f) => portraits.get(f)).length, files.length);
  } finally {
    db.close();
  }
});

test('a cancel commits what had already finished and reads no further file', async () => {
  const { db, portraits } = catalog('cancel');
  try {
    const controller = new AbortController();
    const committed: string[] = [];
    const analyser = reversingAnalyser(3);
    await analyseInOrder(files, { portraits, detect: 'art', thumbsDir: tmp, analyser: 'test' }, analyser, {
      signal: controller.signal,
      onResult: (file) => {
        committed.push(file);
        controller.abort();
      },
    });
    // The first window of 3 finished together; after the abort nothing new is read.
    assert.deepEqual(committed, files.slice(0, 3));
    assert.equal(analyser.started, 3);
    assert.equal(files.filter((f) => portraits.get(f)).length, 3);
  } finally {
    db.close();
  }
});

test('the worker count comes from the option, else the environment, else the cores; bad values are errors', () => {
  assert.equal(analysisWorkerCount(3, '5'), 3);
  assert.equal(analysisWorkerCount(undefined, '5'), 5);
  assert.equal(analysisWorkerCount(0, undefined), 0);
  assert.ok(analysisWorkerCount(undefined, undefined) >= 1);
  assert.throws(() => analysisWorkerCount(undefined, 'many'), /whole number/);
  assert.throws(() => analysisWorkerCount(-1), /whole number/);
});
