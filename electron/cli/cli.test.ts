import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { faceReading } from '../../shared/emotion.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const DEMO = path.resolve(REPO, '../shared/data/portraits/demo');
let tmp: string;

before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-cli-'))));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync('npx', ['--no-install', 'portrait-songs', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, PORTRAIT_SONGS_DATA_DIR: path.join(tmp, 'data'), ...env },
    timeout: 300_000,
  });
}

test('npx portrait-songs --help works from the project root', () => {
  const r = cli(['--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Usage: portrait-songs <command>/);
  assert.match(r.stdout, /analyze PATH\.\.\./);
});

test('usage errors exit non-zero with a message', () => {
  const none = cli(['analyze']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /needs at least one file or folder/);
  const unknown = cli(['frobnicate']);
  assert.equal(unknown.status, 2);
  const badFlag = cli(['analyze', DEMO, '--nope']);
  assert.equal(badFlag.status, 2);
});

test('analyze --json prints one valid line per demo image, at least 50 with faces', () => {
  const db = path.join(tmp, 'cat', 'demo.sqlite');
  const r = cli(['analyze', DEMO, '--json', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 60);
  for (const l of lines) {
    assert.ok(path.isAbsolute(l.file) && l.file.startsWith(DEMO));
    assert.ok(Number.isInteger(l.width) && Number.isInteger(l.height));
    assert.ok(Array.isArray(l.faces));
    assert.equal(l.error, undefined);
    for (const f of l.faces) {
      assert.equal(f.box.length, 4);
      assert.ok(f.box[0] + f.box[2] <= l.width + 0.5 && f.box[1] + f.box[3] <= l.height + 0.5);
      assert.ok(['Q1', 'Q2', 'Q3', 'Q4', 'N'].includes(f.quadrant));
      assert.ok(f.score > 0 && f.score <= 1);
      assert.ok(Math.abs(f.valence) <= 1 && Math.abs(f.arousal) <= 1);
      assert.ok(Math.abs(Object.values(f.probs as Record<string, number>).reduce((a, b) => a + b, 0) - 1) < 0.01);
    }
    assert.equal(l.quadrant === null, l.faces.length === 0);
  }
  assert.ok(lines.filter((l) => l.faces.length > 0).length >= 50);
  assert.ok(fs.existsSync(db));
  // A face's quadrant is the reading the app shows (badge, plane, export), not the 4-class argmax,
  // which is printed beside it: on the demo set some faces differ between the two.
  const faces = lines.flatMap((l) => l.faces);
  for (const f of faces) assert.equal(f.quadrant, faceReading(f).quadrant);
  assert.ok(faces.some((f) => f.quadrant !== f.modelQuadrant), 'the app\'s reading and the argmax differ somewhere');

  // Second run reads the catalog: same answers, and a readable summary without --json.
  const summary = cli(['analyze', DEMO, '--db', db]);
  assert.equal(summary.status, 0);
  assert.match(summary.stdout, /60 images in .*, 60 already in the catalog/);
});

test('per-file errors are reported in the line and do not change the exit code', () => {
  const bad = path.join(tmp, 'bad.png');
  fs.writeFileSync(bad, 'nope');
  const r = cli(['analyze', bad, path.join(DEMO, 'aic-2158.jpg'), '--json', '--db', path.join(tmp, 'e.sqlite')]);
  assert.equal(r.status, 0, r.stderr);
  const [first, second] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.match(first.error, /Not an image format/);
  assert.equal(first.faces.length, 0);
  assert.equal(second.error, undefined);
});

test('doctor reports the backend, and PORTRAIT_SONGS_BACKEND forces one', () => {
  const auto = cli(['doctor', '--json']);
  assert.equal(auto.status, 0, auto.stderr);
  const report = JSON.parse(auto.stdout);
  assert.ok(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'].includes(report.backend));
  if (report.backend === 'wasm') assert.deepEqual(report.skipped.map((s: { name: string }) => s.name), ['tfjs-node-gpu', 'tfjs-node']);
  const forced = cli(['doctor', '--json'], { PORTRAIT_SONGS_BACKEND: 'cpu' });
  assert.equal(forced.status, 0, forced.stderr);
  assert.deepEqual([JSON.parse(forced.stdout).backend, JSON.parse(forced.stdout).forced], ['cpu', true]);
  const bogus = cli(['doctor'], { PORTRAIT_SONGS_BACKEND: 'quantum' });
  assert.equal(bogus.status, 1);
  assert.match(bogus.stderr, /must be one of/);
});
