/** The picture mood is stored beside the faces and comes back whole: saved, copied to a twin, migrated. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCatalog } from './open-catalog.ts';
import { PortraitsTable, toPortrait, type PortraitAnalysis } from './portraits-table.ts';
import { prepareFile } from '../analyse/portrait-library.ts';
import { pictureMoodFrom } from '../../../shared/picture-mood.ts';

const MOOD = pictureMoodFrom({ brightness: 0.61, saturation: 0.24 });

const analysis = (file: string, extra: Partial<PortraitAnalysis> = {}): PortraitAnalysis => ({
  path: file, size: 10, mtime_ms: 1, hash: 'h', analyser: 'a', width: 40, height: 50, faces: [], quadrant: null, valence: null, arousal: null,
  error: null, thumb: 't.jpg', mood: MOOD, ...extra,
});

test('a picture mood survives a round trip through the catalog', () => {
  const db = openCatalog(':memory:');
  const portraits = new PortraitsTable(db);
  portraits.save(analysis('/art/landscape.jpg'));
  const p = toPortrait(portraits.get('/art/landscape.jpg')!, '/art');
  assert.deepEqual(p.mood, MOOD);
  assert.equal(p.readingKind, 'picture-mood');
  assert.equal(p.quadrant, null, 'the face fields stay empty: a picture mood is no face');
  assert.equal(p.valence, null);
  // Re-analysed with a face: the mood stays stored, the reading is the face's.
  const withFace = { box: [1, 1, 10, 10] as [number, number, number, number], score: 0.9, quadrant: 'Q1' as const, probs: { Q1: 1, Q2: 0, Q3: 0, N: 0 },
    expressions: { angry: 0, disgust: 0, fear: 0, happy: 1, sad: 0, surprise: 0, neutral: 0 }, valence: 0.8, arousal: 0.4 };
  portraits.save(analysis('/art/landscape.jpg', { faces: [withFace], quadrant: 'Q1', valence: 0.8, arousal: 0.4 }));
  const q = toPortrait(portraits.get('/art/landscape.jpg')!, '/art');
  assert.deepEqual(q.mood, MOOD);
  assert.equal(q.readingKind, 'faces');
  db.close();
});

test('failed analyses and damaged or missing mood JSON read as no picture mood', () => {
  const db = openCatalog(':memory:');
  const portraits = new PortraitsTable(db);
  portraits.save(analysis('/art/broken.jpg', { error: 'The image file is damaged', mood: null }));
  assert.equal(toPortrait(portraits.get('/art/broken.jpg')!, '/art').mood, null);
  portraits.save(analysis('/art/old.jpg', { mood: undefined }));
  const old = toPortrait(portraits.get('/art/old.jpg')!, '/art');
  assert.equal(old.mood, null);
  assert.equal(old.readingKind, null);
  db.prepare("UPDATE portraits SET mood_json = '{\"valence\": 7}' WHERE path = '/art/old.jpg'").run();
  assert.equal(toPortrait(portraits.get('/art/old.jpg')!, '/art').mood, null);
  db.prepare("UPDATE portraits SET mood_json = 'not json' WHERE path = '/art/old.jpg'").run();
  assert.equal(toPortrait(portraits.get('/art/old.jpg')!, '/art').mood, null);
  db.close();
});

test('a copy of an analysed file takes its twin’s picture mood without being analysed again', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-mood-'));
  try {
    const db = openCatalog(path.join(dir, 'catalog.sqlite'));
    const portraits = new PortraitsTable(db);
    const bytes = Buffer.from('same bytes');
    const hash = crypto.createHash('sha256').update(bytes).digest('hex');
    portraits.save(analysis(path.join(dir, 'a.jpg'), { hash, analyser: 'x' }));
    fs.writeFileSync(path.join(dir, 'b.jpg'), bytes);
    const prepared = await prepareFile(path.join(dir, 'b.jpg'), { portraits, detect: 'art', thumbsDir: dir, analyser: 'x' });
    assert.equal(prepared.bytes, null, 'not analysed again');
    const { row } = (prepared as { commit(): { row: Parameters<typeof toPortrait>[0] } }).commit();
    assert.deepEqual(toPortrait(row, dir).mood, MOOD);
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a catalog from before picture moods gains the column and keeps its rows', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-mood-'));
  try {
    const file = path.join(dir, 'catalog.sqlite');
    fs.copyFileSync(path.join(import.meta.dirname, 'fixtures', 'catalog-v2-better-sqlite3.sqlite'), file);
    const db = openCatalog(file);
    const cols = (db.prepare('PRAGMA table_info(portraits)').all() as { name: string }[]).map((c) => c.name);
    assert.ok(cols.includes('mood_json'));
    const p = toPortrait(new PortraitsTable(db).get('/art/portraits/lady.jpg')!, '/art/portraits');
    assert.equal(p.mood, null);
    assert.equal(p.readingKind, 'faces');
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
