/**
 * The scale bench's pure parts: percentiles and verdicts, the generation plans (deterministic,
 * a quarter face-free), and a handful of rendered files (distinct content, readable, reused
 * from the manifest). Reads three demo portraits and one 4Q clip; a few seconds.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { parseFile } from 'music-metadata';
import { sampledHash } from '../../electron/engine/scan/sampled-hash.ts';
import { GOALS, markdownTable, parseOptions, percentile, summariseFrames, verdict } from './scale-stats.ts';
import { ensureCollection, imageSources, planImages, planSongs, renderImage, renderSong, songSources, type ImageSource, type SongPlan } from './scale-generate.ts';
import { PORTRAITS_DEMO } from '../paths.ts';

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

test('percentile is nearest-rank; frame summaries count slow frames', () => {
  const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
  assert.equal(percentile(xs, 50), 5);
  assert.equal(percentile(xs, 95), 10);
  assert.equal(percentile(xs, 90), 9);
  assert.equal(percentile(xs, 0), 1);
  assert.equal(percentile(xs, 100), 10);
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.throws(() => percentile(xs, 101));
  const f = summariseFrames([16.7, 16.6, 16.7, 33.3, 16.7, 16.7, 16.6, 16.7, 16.7, 70]);
  assert.equal(f.frames, 10);
  assert.equal(f.p50, 16.7);
  assert.equal(f.p95, 70);
  assert.equal(f.over20, 2);
  assert.equal(f.over50, 1);
});

test('verdicts follow the goal direction; the table shows goal and result', () => {
  assert.equal(verdict({ id: 'a', label: 'a', value: 20, unit: 'ms', goal: GOALS.galleryScrollP95 }), 'pass');
  assert.equal(verdict({ id: 'a', label: 'a', value: 20.1, unit: 'ms', goal: GOALS.galleryScrollP95 }), 'FAIL');
  assert.equal(verdict({ id: 'b', label: 'b', value: 5.9, unit: 'images/s', goal: GOALS.imagesPerS }), 'FAIL');
  assert.equal(verdict({ id: 'b', label: 'b', value: null, unit: 'images/s', goal: GOALS.imagesPerS }), 'n/a');
  assert.equal(verdict({ id: 'c', label: 'c', value: 3, unit: 's' }), '—');
  const md = markdownTable([{ id: 'x', label: 'Re-open | folder', value: 1234.5, unit: 's', goal: GOALS.reopenS, note: 'n' }]);
  assert.match(md, /\| Re-open \\\| folder \| 1,235 s \| ≤ 3 s \| FAIL \| n \|/);
});

test('options: values, flags, and unknown names refused', () => {
  const { values, flags } = parseOptions(['--images', '100', '--songs=20', '--quick'], { values: ['images', 'songs'], flags: ['quick'] });
  assert.equal(values.get('images'), '100');
  assert.equal(values.get('songs'), '20');
  assert.ok(flags.has('quick'));
  assert.throws(() => parseOptions(['--imgaes', '3'], { values: ['images'], flags: [] }), /unknown option/);
  assert.throws(() => parseOptions(['--images'], { values: ['images'], flags: [] }), /needs a value/);
});

test('the image plan is deterministic, a quarter face-free, every output path distinct', () => {
  const sources = imageSources();
  assert.ok(sources.filter((s) => s.faceFree).length >= 24, 'dev no-face images and the face-free crops');
  const a = planImages(2000, sources, 1);
  assert.deepEqual(planImages(2000, sources, 1), a);
  assert.notDeepEqual(planImages(2000, sources, 2), a);
  assert.equal(new Set(a.map((p) => p.out)).size, 2000);
  const free = a.filter((p) => sources[p.source]!.faceFree).length;
  assert.equal(free, 500);
  // Every source is used before any is used twice, and crops stay inside the image.
  assert.equal(new Set(a.slice(0, 100).map((p) => p.source)).size, 100);
  for (const p of a) {
    const [x0, y0, x1, y1] = p.crop;
    assert.ok(x0 >= 0 && y0 >= 0 && x1 <= 1.000001 && y1 <= 1.000001 && x1 > x0 && y1 > y0, JSON.stringify(p));
  }
  assert.deepEqual(new Set(a.map((p) => p.format)), new Set(['jpeg', 'webp', 'png']));
});

test('rendered images decode, and the same source gives different content each time', async () => {
  const files = ['met-435664.jpg', 'aic-24.jpg'].map((f) => path.join(PORTRAITS_DEMO, f));
  const sources: ImageSource[] = [
    { file: files[0]!, faceFree: false },
    { file: files[1]!, faceFree: false },
    { file: files[0]!, faceFree: true, region: [0.0, 0.25, 0.28, 0.55] },
  ];
  const plan = planImages(8, sources, 7);
  const bufs = await Promise.all(plan.map((p) => renderImage(p, sources)));
  assert.equal(new Set(bufs.map(sha)).size, 8);
  for (const [i, b] of bufs.entries()) {
    const meta = await sharp(b).metadata();
    assert.equal(meta.format, plan[i]!.format);
    assert.equal(Math.max(meta.width!, meta.height!), plan[i]!.longSide);
  }
});

test('songs: copies first, then WAV segments with tags, distinct by full and sampled hash', async () => {
  const all = songSources();
  const clip = all.findIndex((s) => s.kind === 'clip');
  const track = all.findIndex((s) => s.kind === 'track');
  const plan = planSongs(400, all, 3);
  assert.deepEqual(planSongs(400, all, 3), plan);
  assert.equal(plan.filter((p) => p.kind === 'copy').length, 100);
  assert.equal(plan[0]!.kind, 'copy');
  // Short segments of one clip, so the test stays small.
  const sources = [all[track]!, all[clip]!];
  const small = planSongs(8, sources, 5).map((p): SongPlan => (p.kind === 'wav' ? { ...p, seconds: 2 } : p));
  assert.equal(small.filter((p) => p.kind === 'copy').length, 2);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-scale-test-'));
  try {
    const shas = new Set<string>();
    const sampled = new Set<string>();
    for (const p of small) {
      const b = await renderSong(p, sources);
      const f = path.join(tmp, path.basename(p.out));
      fs.writeFileSync(f, b);
      shas.add(sha(b));
      sampled.add(await sampledHash(f, b.length));
      if (p.kind === 'wav') {
        const meta = await parseFile(f);
        assert.equal(meta.common.title, p.title);
        assert.equal(meta.common.artist, p.artist);
        assert.equal(meta.format.sampleRate, p.rate);
        assert.equal(meta.format.numberOfChannels, p.channels);
        assert.ok(Math.abs((meta.format.duration ?? 0) - 2) < 0.01, `${meta.format.duration}`);
      }
    }
    assert.equal(shas.size, 8);
    assert.equal(sampled.size, 8);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('a collection is reused while its manifest matches, regenerated when the plan changes', async () => {
  const sources: ImageSource[] = [
    { file: path.join(PORTRAITS_DEMO, 'aic-24.jpg'), faceFree: false },
    { file: path.join(PORTRAITS_DEMO, 'aic-24.jpg'), faceFree: true, region: [0.1, 0.85, 0.9, 1.0] },
  ];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-scale-test-'));
  const folder = path.join(tmp, 'portraits-4');
  try {
    const make = (seed: number) =>
      ensureCollection({ folder, kind: 'portraits', seed, plan: planImages(4, sources, seed).map((p) => ({ ...p, longSide: 64 })), render: (p) => renderImage(p, sources), concurrency: 2 });
    const first = await make(1);
    assert.equal(first.reused, false);
    assert.equal(first.manifest.files.length, 4);
    const again = await make(1);
    assert.equal(again.reused, true);
    assert.deepEqual(again.manifest.files, first.manifest.files);
    const other = await make(2);
    assert.equal(other.reused, false);
    assert.notDeepEqual(other.manifest.files.map((f) => f.sha256), first.manifest.files.map((f) => f.sha256));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('frames of a 45-minute analysis (200,000 rAF deltas) summarise without overflowing the stack', () => {
  const deltas = Array.from({ length: 200_000 }, (_, i) => (i === 123_456 ? 250 : i % 100 === 0 ? 33.3 : 16.7));
  const f = summariseFrames(deltas);
  assert.equal(f.frames, 200_000);
  assert.equal(f.max, 250);
  assert.equal(f.p50, 16.7);
  assert.equal(f.over20, 2001);
});
