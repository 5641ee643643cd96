/**
 * The engine keeps open folders current: files added to an open folder are analysed, files
 * deleted from it are pruned from the catalog with an event, as a re-scan would; a plain
 * re-open prunes too.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Engine } from '../engine.ts';
import type { EngineEvent } from '../../../shared/api.ts';
import { DefaultFaceClassifier } from '../classify/default-classifier.ts';
import type { FaceClassifier } from '../types.ts';

const DATA = path.resolve(import.meta.dirname, '../../../../shared/data');
const DEMO = path.join(DATA, 'portraits', 'demo');
const CLIPS = path.join(DATA, 'music', '4q-panda2018', 'audio', 'Q1');
let tmp: string;

before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-engine-watch-'))));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function copy(from: string, dir: string, names: string[]): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const n of names) fs.copyFileSync(path.join(from, n), path.join(dir, n));
}

async function until(cond: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('an open portrait folder follows new and deleted images; the previous folder is let go', async () => {
  const art = path.join(tmp, 'art');
  copy(DEMO, art, ['aic-2092.jpg', 'aic-2158.jpg']);
  const events: EngineEvent[] = [];
  const engine = new Engine({ dataDir: path.join(tmp, 'data-p'), analysisWorkers: 0, watchFolders: { quietMs: 150, startDelayMs: 200 }, emit: (e) => events.push(e) });
  try {
    await engine.openFolder({ path: art, kind: 'portraits' });
    await engine.idle();
    assert.equal((await engine.listPortraits({ folder: art })).length, 2);

    copy(DEMO, art, ['aic-4788.jpg']);
    const added = path.join(art, 'aic-4788.jpg');
    await until(() => events.some((e) => e.type === 'portrait-analysed' && e.portrait.path === added), 'the added image to be analysed');
    await engine.idle();
    const three = await engine.listPortraits({ folder: art });
    assert.deepEqual(three.map((p) => p.name), ['aic-2092.jpg', 'aic-2158.jpg', 'aic-4788.jpg']);
    assert.equal(three.find((p) => p.path === added)!.faces.length, 2, 'analysed as a re-scan would');

    const victim = three.find((p) => p.name === 'aic-2158.jpg')!;
    fs.rmSync(victim.path);
    await until(() => events.some((e) => e.type === 'portraits-removed'), 'the deleted image to be pruned');
    const removed = events.find((e) => e.type === 'portraits-removed');
    assert.deepEqual(removed, { type: 'portraits-removed', folder: art, ids: [victim.id] });
    assert.deepEqual((await engine.listPortraits({ folder: art })).map((p) => p.name), ['aic-2092.jpg', 'aic-4788.jpg'], 'gone from the catalog');

    // Another portrait folder opens: the first one is no longer followed.
    const other = path.join(tmp, 'other');
    copy(DEMO, other, ['aic-2092.jpg']);
    await engine.openFolder({ path: other, kind: 'portraits' });
    await engine.idle();
    const before = events.length;
    copy(DEMO, art, ['aic-2158.jpg']);
    await sleep(1200);
    await engine.idle();
    assert.deepEqual(events.slice(before).filter((e) => e.type !== 'job-progress'), [], 'no re-scan of a folder that is no longer open');
  } finally {
    await engine.stopWatching();
    engine.close();
  }
});

test('an image added after the opening scan, before the watcher is ready, is analysed all the same', async () => {
  const art = path.join(tmp, 'art-gap');
  copy(DEMO, art, ['aic-2092.jpg']);
  const events: EngineEvent[] = [];
  const engine = new Engine({ dataDir: path.join(tmp, 'data-gap'), analysisWorkers: 0, watchFolders: { quietMs: 150, startDelayMs: 500 }, emit: (e) => events.push(e) });
  try {
    await engine.openFolder({ path: art, kind: 'portraits' });
    // The scan has walked; the watcher starts half a second later.
    copy(DEMO, art, ['aic-2158.jpg']);
    await engine.idle();
    assert.deepEqual((await engine.listPortraits({ folder: art })).map((p) => p.name), ['aic-2092.jpg', 'aic-2158.jpg']);
    assert.equal(events.filter((e) => e.type === 'job-started').length, 2, 'the opening and the catch-up re-scan');
  } finally {
    await engine.stopWatching();
    engine.close();
  }
});

test('an image moved within the open folder keeps its analysis: it is not analysed again', async () => {
  const art = path.join(tmp, 'art-moved');
  copy(DEMO, art, ['aic-4788.jpg']);
  let classified = 0;
  const inner = new DefaultFaceClassifier();
  const classifier: FaceClassifier = { name: inner.name, classify: (image, boxes) => (classified++, inner.classify(image, boxes)) };
  const events: EngineEvent[] = [];
  const engine = new Engine({ dataDir: path.join(tmp, 'data-mv'), classifier, watchFolders: { quietMs: 150, startDelayMs: 200 }, emit: (e) => events.push(e) });
  try {
    await engine.openFolder({ path: art, kind: 'portraits' });
    await engine.idle();
    const [before] = await engine.listPortraits({ folder: art });
    assert.equal(before!.faces.length, 2);
    const calls = classified;
    assert.ok(calls > 0);
    fs.mkdirSync(path.join(art, 'hung'));
    fs.renameSync(before!.path, path.join(art, 'hung', 'renamed.jpg'));
    await until(() => events.some((e) => e.type === 'portraits-removed'), 'the old name to be pruned');
    await engine.idle();
    const after = await engine.listPortraits({ folder: art });
    assert.deepEqual(after.map((p) => p.name), [path.join('hung', 'renamed.jpg')]);
    assert.deepEqual(after[0]!.faces, before!.faces, 'the same reading');
    assert.equal(classified, calls, 'no face was classified again');
    assert.deepEqual(events.find((e) => e.type === 'portraits-removed'), { type: 'portraits-removed', folder: art, ids: [before!.id] });
  } finally {
    await engine.stopWatching();
    engine.close();
  }
});

test('a watched folder that goes away as a whole (a drive unplugged) keeps its catalog', async () => {
  const art = path.join(tmp, 'art-unplugged');
  copy(DEMO, art, ['aic-2092.jpg']);
  const events: EngineEvent[] = [];
  const engine = new Engine({ dataDir: path.join(tmp, 'data-u'), analysisWorkers: 0, watchFolders: { quietMs: 150, startDelayMs: 200 }, emit: (e) => events.push(e) });
  try {
    await engine.openFolder({ path: art, kind: 'portraits' });
    await engine.idle();
    fs.rmSync(art, { recursive: true });
    await sleep(1500);
    await engine.idle();
    assert.deepEqual(events.filter((e) => e.type === 'portraits-removed'), [], 'nothing pruned');
    assert.equal((await engine.listPortraits({ folder: art })).length, 1);
  } finally {
    await engine.stopWatching();
    engine.close();
  }
});

test('a plain re-open prunes portraits whose files are gone', async () => {
  const art = path.join(tmp, 'art-reopen');
  copy(DEMO, art, ['aic-2092.jpg', 'aic-2158.jpg']);
  const events: EngineEvent[] = [];
  const engine = new Engine({ dataDir: path.join(tmp, 'data-r'), analysisWorkers: 0, emit: (e) => events.push(e) });
  try {
    await engine.openFolder({ path: art, kind: 'portraits' });
    await engine.idle();
    const [, second] = await engine.listPortraits({ folder: art });
    fs.rmSync(second!.path);
    const again = await engine.openFolder({ path: art, kind: 'portraits' });
    assert.equal(again.jobId, null, 'nothing to analyse');
    assert.deepEqual(events.filter((e) => e.type === 'portraits-removed'), [{ type: 'portraits-removed', folder: art, ids: [second!.id] }]);
    assert.deepEqual((await engine.listPortraits({ folder: art })).map((p) => p.name), ['aic-2092.jpg']);
  } finally {
    engine.close();
  }
});

test('an open music folder follows new and deleted songs', async () => {
  const music = path.join(tmp, 'music');
  const clips = fs.readdirSync(CLIPS).sort().slice(0, 3);
  copy(CLIPS, music, clips.slice(0, 2));
  const events: EngineEvent[] = [];
  const engine = new Engine({ dataDir: path.join(tmp, 'data-m'), watchFolders: { quietMs: 150, startDelayMs: 200 }, emit: (e) => events.push(e) });
  try {
    await engine.openFolder({ path: music, kind: 'music' });
    await engine.idle();
    assert.equal((await engine.listSongs({ folder: music })).length, 2);

    copy(CLIPS, music, [clips[2]!]);
    const added = path.join(music, clips[2]!);
    await until(() => events.some((e) => e.type === 'song-indexed' && e.song.path === added), 'the added song to be indexed');
    await engine.idle();
    const songs = await engine.listSongs({ folder: music });
    assert.equal(songs.length, 3);
    assert.ok(songs.find((s) => s.path === added)!.quadrant, 'the new song has a reading');

    const victim = songs[0]!;
    fs.rmSync(victim.path);
    await until(() => events.some((e) => e.type === 'songs-removed'), 'the deleted song to be pruned');
    assert.deepEqual(events.find((e) => e.type === 'songs-removed'), { type: 'songs-removed', folder: music, ids: [victim.id] });
    await engine.idle();
    assert.equal((await engine.listSongs({ folder: music })).length, 2);
  } finally {
    await engine.stopWatching();
    engine.close();
  }
});
