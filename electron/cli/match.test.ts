/**
 * `portrait-songs match` end to end on the shared demo portraits and music library: the real
 * engine, the real music model, the real export.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { PairsDocument } from '../engine/export/pairs-json.ts';
import type { MatchSummary } from './commands/match.ts';
import { autoMaxUses } from '../../shared/match.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const DEMO = path.resolve(REPO, '../shared/data/portraits/demo');
const LIBRARY = path.resolve(REPO, '../shared/data/music/library');
const SCHEMA = JSON.parse(fs.readFileSync(path.join(REPO, 'shared/pairs.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(SCHEMA);

let tmp: string;
let db: string;
let out: string;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-match-'));
  db = path.join(tmp, 'data', 'catalog.sqlite');
  out = path.join(tmp, 'Exports ünï 名前');
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[]) {
  return spawnSync('npx', ['--no-install', 'portrait-songs', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, PORTRAIT_SONGS_DATA_DIR: path.join(tmp, 'default-data') },
    timeout: 900_000,
  });
}

const read = (file: string) => fs.readFileSync(path.join(out, file), 'utf8');

test('usage errors exit 2 with a message', () => {
  const noOut = cli(['match', DEMO, LIBRARY]);
  assert.equal(noOut.status, 2);
  assert.match(noOut.stderr, /needs --out DIR/);
  const badMode = cli(['match', DEMO, LIBRARY, '--out', out, '--mode', 'sad']);
  assert.equal(badMode.status, 2);
  assert.match(badMode.stderr, /--mode must be one of match, lift, calm/);
  const badStart = cli(['match', DEMO, LIBRARY, '--out', out, '--start', 'middle']);
  assert.equal(badStart.status, 2);
  assert.match(badStart.stderr, /--start must be one of stretch, beginning/);
  const inside = cli(['match', DEMO, LIBRARY, '--out', path.join(LIBRARY, 'export')]);
  assert.equal(inside.status, 2);
  assert.match(inside.stderr, /must not be inside the music folder/);
  assert.equal(fs.existsSync(out), false);
});

test('match exports all 60 demo portraits; in mode match a song leaves its target quadrant only when that quadrant is used up', () => {
  const r = cli(['match', DEMO, LIBRARY, '--out', out, '--db', db, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as MatchSummary;
  assert.equal(summary.portraits, 60);
  assert.equal(summary.pairs + summary.unmatched.length, 60);
  assert.deepEqual(summary.files, ['index.html', 'pairs.csv', 'pairs.json', 'playlist.m3u8']);

  const doc = JSON.parse(read('pairs.json')) as PairsDocument;
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
  assert.equal(doc.pairs.length + doc.unmatched.length, 60);
  assert.ok(doc.pairs.length >= 50, `only ${doc.pairs.length} pairs`);
  assert.equal(read('index.html').match(/<article class="card/g)?.length, 60);
  for (const u of doc.unmatched) assert.ok(u.reason.length > 0);

  // Which quadrants the library can offer, from the (now cached) index.
  const songs = cli(['index-music', LIBRARY, '--db', db, '--json']);
  assert.equal(songs.status, 0, songs.stderr);
  const library = songs.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string; quadrant: string | null; valence: number | null; arousal: number | null; timeline: { points: { start: number }[] } | null })
    .filter((s) => s.quadrant !== null && s.valence !== null && s.arousal !== null);
  // Every analysed song carries its timeline in the CLI's output, as the app keeps it.
  assert.ok(library.every((s) => (s.timeline?.points.length ?? 0) > 0), 'index-music --json prints each song\'s timeline');
  // Songs are spread: one song serves at most autoMaxUses portraits, so a portrait gets a song
  // from another quadrant only once every song of its own quadrant is used that often.
  const matchable = doc.pairs.length + doc.unmatched.filter((u) => u.faceCount > 0).length;
  const cap = autoMaxUses(matchable, library.length);
  const uses = new Map<string, number>();
  for (const p of doc.pairs) uses.set(p.song.source, (uses.get(p.song.source) ?? 0) + 1);
  assert.ok(Math.max(...uses.values()) <= cap, `no song used more than ${cap} times`);
  for (const p of doc.pairs) {
    // A picture mood (no face) is matched by distance alone, not held to its quadrant.
    if (!p.face) continue;
    const target = p.face.quadrant === 'N' ? 'Q4' : p.face.quadrant;
    assert.equal(p.target.quadrant, target);
    if (p.song.quadrant === target) continue;
    const sameQuadrant = library.filter((s) => s.quadrant === target);
    for (const s of sameQuadrant) {
      assert.ok((uses.get(path.resolve(s.file)) ?? 0) >= cap, `${p.portrait.name}: face ${p.face.quadrant}, song ${p.song.quadrant}, while ${s.file} (${target}) was used fewer than ${cap} times`);
    }
  }
  assert.equal(summary.inTargetQuadrant, doc.pairs.filter((p) => p.song.quadrant === p.target.quadrant).length);

  // The playlist's relative paths lead to the library's files.
  const lines = read('playlist.m3u8').split('\n').filter((l) => l && !l.startsWith('#'));
  assert.equal(lines.length, doc.pairs.length);
  for (const l of lines) assert.ok(path.resolve(out, l).startsWith(LIBRARY) && fs.existsSync(path.resolve(out, l)), l);

  // Clip starts (only songs the analyser gave a timeline have one above 0) leave a clip to play, and
  // the playlist carries VLC's start option for exactly those entries.
  const clipped = doc.pairs.filter((p) => p.match.clipStart > 0);
  for (const p of clipped) if (p.song.duration !== null) assert.ok(p.song.duration - p.match.clipStart >= 10, `${p.song.title}: starts ${p.match.clipStart} s into ${p.song.duration} s`);
  assert.deepEqual(
    read('playlist.m3u8').split('\n').filter((l) => l.startsWith('#EXTVLCOPT:start-time=')),
    clipped.map((p) => `#EXTVLCOPT:start-time=${p.match.clipStart}`),
  );
});

test('an existing export is kept unless --overwrite; then it is replaced, portable with --copy-media', () => {
  const before = read('pairs.json');
  const refused = cli(['match', DEMO, LIBRARY, '--out', out, '--db', db]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /already exists and is not empty.*--overwrite/);
  assert.equal(read('pairs.json'), before);

  const r = cli(['match', DEMO, LIBRARY, '--out', out, '--db', db, '--overwrite', '--copy-media', '--mode', 'calm', '--order', 'arc', '--start', 'beginning']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Exported \d+ portrait–song pairs to .*Exports ünï 名前/);
  const doc = JSON.parse(read('pairs.json')) as PairsDocument;
  // Every unmatched portrait is listed with its reason (the demo set may have none).
  if (doc.unmatched.length) assert.match(r.stdout, /portraits without a song:\n {2}\S+: /);
  else assert.doesNotMatch(r.stdout, /without a song/);
  assert.equal(doc.mode, 'calm');
  assert.equal(doc.mediaCopied, true);
  assert.ok(doc.pairs.every((p) => p.match.clipStart === 0), '--start beginning: every song from its start');
  assert.ok(!read('playlist.m3u8').includes('#EXTVLCOPT'));
  for (const p of doc.pairs) assert.ok(fs.existsSync(path.join(out, p.song.path)) && p.song.path.startsWith('media/songs/'));
  assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.startsWith('.')), [], 'no temporary folders left');
});
