/**
 * What ships, the way it ships: the bundled engine (dist/electron/engine-process.js, with its
 * bundled song worker) runs in its own plain Node process — no tsx, no sources — over the same
 * message protocol Electron's utility process uses. It must find its models and native modules
 * from dist/ and carry a whole flow: portraits, music, playlist, export.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineHost } from './engine-host.ts';
import { spawnNodeEngine } from './node-child.ts';
import type { EngineEvent } from '../../../shared/api.ts';
import { defaultSpec } from '../../../shared/match.ts';

const REPO = path.resolve(import.meta.dirname, '../../..');
const DATA = path.resolve(REPO, '../shared/data');
const ENTRY = path.join(REPO, 'dist', 'electron', 'engine-process.js');
const PORTRAITS = ['aic-2158.jpg', 'aic-2179.jpg', 'aic-24.jpg', 'aic-2823.jpg', 'aic-3104.jpg'];
const SONGS = ['wesnoth-1.16-music/defeat2.ogg', 'extremetuxracer-data/wonrace1-jt.ogg', 'npm-audio-lena/lena.flac', 'flare-game/wind_ambient.ogg'];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-bundle-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function copyInto(dir: string, from: string, names: string[]): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const n of names) fs.copyFileSync(path.join(from, n), path.join(dir, path.basename(n)));
}

test('the bundled engine runs a whole flow in its own process: portraits, music, playlist, export', async () => {
  assert.ok(fs.existsSync(ENTRY), 'Build first (npm run build): dist/electron/engine-process.js is missing');
  assert.ok(fs.existsSync(path.join(REPO, 'dist', 'electron', 'song-worker.js')), 'the song worker bundle is missing');
  assert.ok(fs.existsSync(path.join(REPO, 'dist', 'electron', 'watch-worker.js')), 'the folder watcher bundle is missing');
  const art = path.join(tmp, 'art');
  const music = path.join(tmp, 'music');
  copyInto(art, path.join(DATA, 'portraits', 'demo'), PORTRAITS);
  copyInto(music, path.join(DATA, 'music', 'library'), SONGS);

  const events: EngineEvent[] = [];
  const finished = new Map<string, (e: EngineEvent) => void>();
  const host = new EngineHost(spawnNodeEngine, ENTRY, path.join(tmp, 'data'), (e) => {
    events.push(e);
    if (e.type === 'job-finished' || e.type === 'job-failed') finished.get(e.jobId)?.(e);
  });
  const done = (jobId: string | null) =>
    jobId === null ? Promise.resolve(null) : new Promise<EngineEvent>((resolve) => finished.set(jobId, resolve));
  host.start();
  try {
    const info = await host.api.getInfo();
    assert.ok(info.backend, 'an inference backend started inside the bundle');

    const opened = await host.api.openFolder({ path: art, kind: 'portraits' });
    const portraitsDone = await done(opened.jobId);
    assert.equal(portraitsDone?.type, 'job-finished', JSON.stringify(portraitsDone));
    const portraits = await host.api.listPortraits({ folder: art });
    assert.equal(portraits.length, PORTRAITS.length);
    assert.deepEqual(portraits.filter((p) => p.error), [], 'no portrait failed');
    assert.ok(portraits.filter((p) => p.faces.length > 0).length >= PORTRAITS.length - 1, 'faces found in the portraits');

    const musicOpened = await host.api.openFolder({ path: music, kind: 'music' });
    const musicDone = await done(musicOpened.jobId);
    assert.equal(musicDone?.type, 'job-finished', JSON.stringify(musicDone));
    const songs = await host.api.listSongs({ folder: music });
    assert.equal(songs.length, SONGS.length);
    assert.deepEqual(songs.filter((s) => s.error).map((s) => s.error), [], 'every song analysed (the model was found from dist/)');
    assert.ok(songs.every((s) => s.quadrant !== null));

    const out = path.join(tmp, 'export');
    const outcome = await host.api.exportPlaylist({ portraitFolder: art, musicFolder: music, spec: defaultSpec(), copyMedia: true, overwrite: false, target: out });
    assert.equal(outcome.status, 'written');
    const pairs = JSON.parse(fs.readFileSync(path.join(out, 'pairs.json'), 'utf8')) as { pairs: { song: { path: string } | null }[] };
    const matched = pairs.pairs.filter((p) => p.song !== null);
    assert.equal(matched.length, portraits.filter((p) => p.faces.length > 0).length);
    for (const p of matched) assert.ok(fs.existsSync(path.join(out, p.song!.path)), `copied song ${p.song!.path}`);
    const m3u = fs.readFileSync(path.join(out, 'playlist.m3u8'), 'utf8');
    assert.equal(m3u.split('\n').filter((l) => l && !l.startsWith('#')).length, matched.length);
    assert.ok(fs.existsSync(path.join(out, 'index.html')));
    assert.equal(events.filter((e) => e.type === 'engine-restarted').length, 0, 'the engine never crashed');
  } finally {
    host.stop();
  }
});
