import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Db } from '../catalog/sqlite.ts';
import { Engine } from '../engine.ts';
import { skipReason } from './index-music-folder.ts';

const REPO = path.resolve(import.meta.dirname, '../../..');
const DATA = path.resolve(REPO, '../shared/data/music');
const LIBRARY = path.join(DATA, 'library');
const CLIPS = path.join(DATA, '4q-panda2018', 'audio');
let tmp: string;

before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-music-'))));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function someClips(n: number): string[] {
  return ['Q1', 'Q2', 'Q3', 'Q4'].flatMap((q) => fs.readdirSync(path.join(CLIPS, q)).sort().slice(0, n / 4).map((f) => path.join(CLIPS, q, f)));
}

test('re-indexing skips unchanged files, recognises moved ones, prunes removed ones', async () => {
  const folder = path.join(tmp, 'my music');
  fs.mkdirSync(path.join(folder, 'sub'), { recursive: true });
  const clips = someClips(8);
  for (const c of clips) fs.copyFileSync(c, path.join(folder, path.basename(c)));
  fs.writeFileSync(path.join(folder, 'cover.jpg'), 'not audio');
  fs.writeFileSync(path.join(folder, 'broken.mp3'), 'this is text, not an mp3');
  const engine = new Engine({ dataDir: path.join(tmp, 'data1') });
  try {
    const first = await engine.indexMusic(folder, { workers: 2 });
    assert.equal(first.audioFiles, 9);
    assert.equal(first.analysed, 9);
    assert.equal(first.failed, 1);
    assert.deepEqual(first.skipped.map((s) => path.basename(s.path)), ['cover.jpg']);
    assert.match(first.skipped[0]!.reason, /Not an audio file/);
    const songs = await engine.listSongs({ folder });
    const broken = songs.find((s) => s.name === 'broken.mp3')!;
    assert.equal(broken.status, 'error');
    assert.match(broken.error ?? '', /decoded|format/);
    for (const s of songs.filter((x) => x.status === 'done')) {
      assert.ok(s.quadrant && ['Q1', 'Q2', 'Q3', 'Q4'].includes(s.quadrant));
      assert.ok(Math.abs(Object.values(s.probs!).reduce((a, b) => a + b, 0) - 1) < 0.01);
      assert.ok(s.duration! > 1 && s.duration! <= 31);
    }

    const again = await engine.indexMusic(folder, { workers: 2 });
    assert.deepEqual([again.analysed, again.unchanged, again.moved, again.removed], [0, 9, 0, 0]);

    const [a, b] = clips.map((c) => path.basename(c));
    const movedId = songs.find((s) => s.name === a)!.id;
    fs.renameSync(path.join(folder, a!), path.join(folder, 'sub', a!));
    fs.rmSync(path.join(folder, b!));
    const third = await engine.indexMusic(folder, { workers: 2 });
    assert.deepEqual([third.analysed, third.moved, third.removed], [0, 1, 1]);
    const after3 = await engine.listSongs({ folder });
    assert.equal(after3.length, 8);
    assert.equal(after3.find((s) => s.name === path.join('sub', a!))!.id, movedId, 'the moved song kept its row');
  } finally {
    engine.close();
  }
});

function runIndexer(db: string, onLine?: (n: number, kill: () => void) => void): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO, 'electron/cli/portrait-songs.mjs'), 'index-music', LIBRARY, '--json', '--db', db, '--workers', '2'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const lines: string[] = [];
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const l of parts) {
        lines.push(l);
        onLine?.(lines.length, () => child.kill('SIGKILL'));
      }
    });
    child.on('exit', (code) => resolve({ code, lines }));
  });
}

function catalog(db: string): { path: string; quadrant: string | null; error: string | null }[] {
  const d = new Db(db, { readonly: true });
  try {
    assert.equal(d.pragma('integrity_check'), 'ok');
    return d.prepare('SELECT path, quadrant, error FROM songs ORDER BY path').all() as { path: string; quadrant: string | null; error: string | null }[];
  } finally {
    d.close();
  }
}

test('index-music on the library: one line per audio file; killed mid-run it resumes with nothing lost or doubled', async () => {
  const whole = path.join(tmp, 'whole', 'c.sqlite');
  const full = await runIndexer(whole);
  assert.equal(full.code, 0);
  const lines = full.lines.map((l) => JSON.parse(l));
  assert.equal(lines.length, 30);
  for (const l of lines) {
    assert.ok(path.isAbsolute(l.file));
    if (l.error === undefined) {
      assert.ok(['Q1', 'Q2', 'Q3', 'Q4'].includes(l.quadrant), `${l.file} has a quadrant`);
      assert.ok(l.duration > 0 && Math.abs(l.valence) <= 1 && Math.abs(l.arousal) <= 1);
    } else assert.ok(l.error.length > 10);
  }
  const reference = catalog(whole);
  assert.equal(reference.length, 30);

  const killed = path.join(tmp, 'killed', 'c.sqlite');
  for (const at of [3, 11]) {
    const partial = await runIndexer(killed, (n, kill) => n === at && kill());
    assert.notEqual(partial.code, 0, 'the indexer was killed');
    const rows = catalog(killed);
    assert.ok(rows.length >= at - 1 && rows.length < 30, `${rows.length} rows survived a kill after ${at} lines`);
  }
  const resumed = await runIndexer(killed);
  assert.equal(resumed.code, 0);
  assert.equal(resumed.lines.length, 30);
  assert.deepEqual(catalog(killed), reference);
});

test('a skipped file says what kind of file it is', () => {
  assert.equal(skipReason('/m/notes.md'), 'Not an audio file (.md: a text or document file)');
  assert.equal(skipReason('/m/Cover.JPG'), 'Not an audio file (.jpg: an image)');
  assert.equal(skipReason('/m/list.m3u8'), 'Not an audio file (.m3u8: a playlist or cue sheet)');
  assert.equal(skipReason('/m/song.xyz'), 'Not an audio file Portrait Songs reads (.xyz)');
  assert.equal(skipReason('/m/README'), 'Not an audio file (no file extension)');
});
