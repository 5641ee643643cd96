/** A song's emotion timeline is stored beside its reading, checked on the way out, and old catalogs gain the column. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CATALOG_VERSION, openCatalog } from './open-catalog.ts';
import { SongsTable, toSong, type SongWrite } from './songs-table.ts';
import { checkTimeline, MAX_TIMELINE_POINTS, parseTimeline, timelineToJson } from './timeline-json.ts';
import { indexMusicFolder } from '../music/index-music-folder.ts';
import type { SongAnalysis } from '../music/analyse-song.ts';
import type { SongTimeline } from '../../../shared/api.ts';

const TIMELINE: SongTimeline = { patchSeconds: 3, points: [{ start: 0, valence: -0.2, arousal: -0.6 }, { start: 3, valence: 0.1, arousal: 0.25 }, { start: 72, valence: -0.5, arousal: 0.8 }] };

const write = (file: string, timeline_json: string | null | undefined): SongWrite => ({
  path: file, size: 1, mtime_ms: 1, hash: 'h', analyser: 'a', title: 'T', artist: null, album: null, duration: 90, cover: null,
  quadrant: 'Q2', probs_json: null, valence: -0.4, arousal: 0.5, error: null, ...(timeline_json === undefined ? {} : { timeline_json }),
});

test('a timeline survives a round trip through the catalog, and a re-analysis without one clears it', () => {
  const db = openCatalog(':memory:');
  const songs = new SongsTable(db);
  songs.save(write('/m/a.ogg', timelineToJson(TIMELINE)));
  assert.deepEqual(toSong(songs.get('/m/a.ogg')!, '/m').timeline, TIMELINE);
  songs.save(write('/m/a.ogg', null));
  assert.equal(toSong(songs.get('/m/a.ogg')!, '/m').timeline, null);
  // A writer that knows nothing of timelines (an older tool, a test) stores none.
  songs.save(write('/m/b.ogg', undefined));
  assert.equal(toSong(songs.get('/m/b.ogg')!, '/m').timeline, null);
  db.close();
});

test('bad or missing timeline JSON reads as no timeline; odd values are clamped, dropped or put in order', () => {
  assert.equal(parseTimeline(null), null);
  assert.equal(parseTimeline(''), null);
  assert.equal(parseTimeline('not json'), null);
  assert.equal(parseTimeline('[1,2]'), null);
  assert.equal(parseTimeline('{"patchSeconds":0,"points":[{"start":0,"valence":0,"arousal":0}]}'), null, 'a patch must last');
  assert.equal(parseTimeline('{"patchSeconds":3}'), null);
  assert.equal(parseTimeline('{"patchSeconds":3,"points":[]}'), null, 'no points is no timeline');
  const odd = parseTimeline(JSON.stringify({
    patchSeconds: 3,
    points: [
      { start: 9, valence: 3, arousal: -7 }, // clamped
      { start: 0, valence: 0.5, arousal: 0.5 }, // out of order
      { start: -3, valence: 0, arousal: 0 }, // before the track: dropped
      { start: 'x', valence: 0, arousal: 0 },
      { start: 6, valence: null, arousal: 0 },
      null,
      { start: 1e400, valence: 0, arousal: 0 }, // Infinity once parsed
    ],
  }));
  assert.deepEqual(odd, { patchSeconds: 3, points: [{ start: 0, valence: 0.5, arousal: 0.5 }, { start: 9, valence: 1, arousal: -1 }] });
  const many = checkTimeline({ patchSeconds: 1, points: Array.from({ length: MAX_TIMELINE_POINTS + 5 }, (_, i) => ({ start: i, valence: 0, arousal: 0 })) });
  assert.equal(many!.points.length, MAX_TIMELINE_POINTS);
  assert.equal(timelineToJson(null), null);
  assert.equal(timelineToJson({ patchSeconds: 3, points: [{ start: Number.NaN, valence: 0, arousal: 0 }] }), null, 'nothing usable is not stored');
});

test('indexing saves the timeline the analysis made', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-timeline-'));
  try {
    fs.writeFileSync(path.join(dir, 'with.mp3'), 'a');
    fs.writeFileSync(path.join(dir, 'without.mp3'), 'bb');
    const db = openCatalog(':memory:');
    const songs = new SongsTable(db);
    const analyse = (file: string): Promise<SongAnalysis> => Promise.resolve({
      title: path.basename(file), artist: null, album: null, duration: 90, cover: null, quadrant: 'Q2', probs: null, valence: -0.4, arousal: 0.5, error: null,
      timeline: file.endsWith('with.mp3') ? TIMELINE : null,
    });
    await indexMusicFolder(dir, { songs, analyse, analyser: 'fake', concurrency: 1 });
    assert.deepEqual(toSong(songs.get(path.join(dir, 'with.mp3'))!, dir).timeline, TIMELINE);
    assert.equal(toSong(songs.get(path.join(dir, 'without.mp3'))!, dir).timeline, null);
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a catalog from before timelines gains the column, keeps its songs, and reads them without one', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-timeline-'));
  try {
    const file = path.join(dir, 'catalog.sqlite');
    fs.copyFileSync(path.join(import.meta.dirname, 'fixtures', 'catalog-v2-better-sqlite3.sqlite'), file);
    const db = openCatalog(file);
    assert.equal(db.pragma('user_version'), CATALOG_VERSION);
    const cols = (db.prepare('PRAGMA table_info(songs)').all() as { name: string }[]).map((c) => c.name);
    assert.ok(cols.includes('timeline_json'));
    const songs = new SongsTable(db);
    const old = toSong(songs.get('/art/music/battle.ogg')!, '/art/music');
    assert.equal(old.title, 'Battle');
    assert.equal(old.duration, 61.5);
    assert.equal(old.timeline, null);
    // The migrated table takes new timelines.
    songs.save({ ...write('/art/music/battle.ogg', timelineToJson(TIMELINE)) });
    assert.deepEqual(toSong(songs.get('/art/music/battle.ogg')!, '/art/music').timeline, TIMELINE);
    db.close();
    // Opening it again runs no migration twice.
    const again = openCatalog(file);
    assert.equal(again.pragma('user_version'), CATALOG_VERSION);
    again.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
