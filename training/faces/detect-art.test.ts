/**
 * detectFacesOnArt with ART_DETECT_DEFAULT on the 60 demo portraits and on the generated
 * face-free set, in one pass over both, and on the dev set of art beyond paintings, on the
 * runtime the app would pick (ONNX Runtime where it loads: ~15 s for demo + face-free, ~1 min
 * for the dev set, where most images take all four looks; TF.js wasm: ~1 s per pass). The
 * detector is deterministic, so the counts are exact, not statistical.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeImage } from '../../electron/engine/decode/image.ts';
import { ANALYSIS_MAX_SIDE } from '../../electron/engine/analyse/analyse-portrait.ts';
import { ART_DETECT_DEFAULT, ART_DETECT_FAST, artDetectDigest, detectFacesOnArt } from '../../electron/engine/faces/detect-art.ts';
import { writeFaceFreeSet } from './face-free-set.ts';
import { loadFaceApi } from '../../electron/engine/faces/face-api.ts';
import { iou, mergeCandidates } from '../../electron/engine/faces/merge-candidates.ts';
import { tileRects } from '../../electron/engine/faces/art-passes.ts';
import { readDevManifest, scoreDevSet } from './dev-set.ts';
import { PORTRAITS_DEMO, PORTRAITS_DEV } from '../paths.ts';

const DEMO = PORTRAITS_DEMO;
const DEV = PORTRAITS_DEV;

/** What the default preset achieved when it was chosen (see detect-art.ts). */
const MIN_FOUND = 60;
const MIN_COUNT_RIGHT = 55;
/**
 * The dev set (95 images with faces, 24 without), on which looks 3–4 were tuned (so these are
 * not held-out figures): 26 found / 15 counted right / 2 false with looks 1–2 only.
 */
const DEV_MIN_FOUND = 47;
const DEV_MIN_COUNT_RIGHT = 30;
const DEV_MAX_FALSE = 2;

type Expected = 1 | 2 | 'group';

function manifest(): Map<string, Expected> {
  const out = new Map<string, Expected>();
  for (const line of fs.readFileSync(path.join(DEMO, 'manifest.csv'), 'utf8').split('\n').slice(1)) {
    if (!line.trim()) continue;
    const tags = line.slice(line.lastIndexOf(',') + 1).split(';');
    out.set(line.slice(0, line.indexOf(',')), tags.includes('group') ? 'group' : tags.includes('faces-2') ? 2 : 1);
  }
  return out;
}

describe('merge-candidates', () => {
  const o = { thresholds: { a: { accept: 0.5, support: 0.2 }, b: { accept: 0.5, support: 0.2 } }, minVotes: 2, iou: 0.3, containment: 0.6, minRelativeSize: 0, minFaceSide: 20, maxFaces: 20 };
  test('a confident candidate is a face alone; weak ones need a second pass', () => {
    const strong = mergeCandidates([{ box: [0, 0, 50, 50], score: 0.9, pass: 'a' }], o);
    assert.equal(strong.length, 1);
    assert.equal(mergeCandidates([{ box: [0, 0, 50, 50], score: 0.3, pass: 'a' }], o).length, 0);
    const voted = mergeCandidates([{ box: [0, 0, 50, 50], score: 0.3, pass: 'a' }, { box: [2, 2, 50, 50], score: 0.3, pass: 'b' }], o);
    assert.equal(voted.length, 1);
    assert.deepEqual(voted[0]!.passes.sort(), ['a', 'b']);
  });
  test('overlapping boxes of the same face merge; faces under minFaceSide are dropped', () => {
    const faces = mergeCandidates([
      { box: [0, 0, 50, 50], score: 0.9, pass: 'a' },
      { box: [5, 5, 48, 48], score: 0.8, pass: 'b' },
      { box: [200, 0, 40, 40], score: 0.7, pass: 'a' },
      { box: [400, 0, 15, 15], score: 0.95, pass: 'a' },
    ], o);
    assert.equal(faces.length, 2);
    assert.ok(iou(faces[0]!.box, [0, 0, 50, 50]) > 0.99);
  });
  test('tiles cover the image with square, overlapping views', () => {
    const rects = tileRects(768, 500, 2, 0.6);
    for (const [x, y, w, h] of rects) {
      assert.ok(x >= 0 && y >= 0 && x + w <= 768 && y + h <= 500);
      assert.equal(w, h);
    }
    assert.ok(rects.some(([x, , w]) => x + w === 768));
    assert.ok(rects.some(([, y, , h]) => y + h === 500));
  });
});

describe('detection presets', () => {
  test('FAST is the default\'s first two looks; the later looks run only where those found nothing', () => {
    const n = ART_DETECT_FAST.passes.length;
    assert.deepEqual(ART_DETECT_DEFAULT.passes.slice(0, n), ART_DETECT_FAST.passes);
    assert.ok(ART_DETECT_DEFAULT.passes.slice(n).every((p) => (p.look ?? 1) > Math.max(...ART_DETECT_FAST.passes.map((q) => q.look ?? 1))));
  });
  test('the settings digest (part of the analyser id) changes with any threshold', () => {
    const d = artDetectDigest(ART_DETECT_DEFAULT);
    assert.equal(artDetectDigest({ ...ART_DETECT_DEFAULT }), d);
    assert.notEqual(artDetectDigest(ART_DETECT_FAST), d);
    const retuned = { ...ART_DETECT_DEFAULT, passes: ART_DETECT_DEFAULT.passes.map((p, i) => (i === 2 ? { ...p, accept: p.accept + 0.05 } : p)) };
    assert.notEqual(artDetectDigest(retuned), d);
  });
});

describe('detectFacesOnArt (ART_DETECT_DEFAULT)', { skip: !fs.existsSync(DEMO) && 'demo portraits not found', timeout: 1_500_000 }, () => {
  let freeDir = '';
  before(async () => {
    freeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'face-free-'));
    await loadFaceApi(['ssdMobilenetv1', 'tinyFaceDetector']);
  });
  after(() => {
    if (freeDir) fs.rmSync(freeDir, { recursive: true, force: true });
  });

  test(`finds a face in ≥${MIN_FOUND}/60 demo portraits, counts right on ≥${MIN_COUNT_RIGHT}/60, and none on face-free art`, async () => {
    const expected = manifest();
    let found = 0;
    let right = 0;
    const wrong: string[] = [];
    for (const [file, want] of expected) {
      const { image } = await decodeImage(path.join(DEMO, file), ANALYSIS_MAX_SIDE);
      const faces = await detectFacesOnArt(image, ART_DETECT_DEFAULT);
      for (const f of faces) {
        const [x, y, w, h] = f.box;
        assert.ok(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= image.width + 1e-6 && y + h <= image.height + 1e-6, `${file}: box inside the image`);
      }
      if (faces.length > 0) found++;
      if (want === 'group' ? faces.length >= 3 : faces.length === want) right++;
      else wrong.push(`${file} (${want}: ${faces.length})`);
    }
    const falsePositives: string[] = [];
    const freeFiles = await writeFaceFreeSet(DEMO, freeDir);
    assert.ok(freeFiles.length >= 10, 'at least 10 face-free images');
    for (const file of freeFiles) {
      const { image } = await decodeImage(file, ANALYSIS_MAX_SIDE);
      const faces = await detectFacesOnArt(image, ART_DETECT_DEFAULT);
      if (faces.length) falsePositives.push(`${path.basename(file)}: ${faces.map((f) => f.score.toFixed(2)).join(', ')}`);
    }
    assert.ok(found >= MIN_FOUND, `a face found in ${found}/60`);
    assert.ok(right >= MIN_COUNT_RIGHT, `count right on ${right}/60; wrong: ${wrong.join(', ')}`);
    assert.deepEqual(falsePositives, [], 'no faces on face-free art');
  });

  test(`dev set: a face in ≥${DEV_MIN_FOUND}/95, count right on ≥${DEV_MIN_COUNT_RIGHT}, ≤${DEV_MAX_FALSE}/24 face-free images with a face`, { skip: !fs.existsSync(path.join(DEV, 'manifest.csv')) && 'dev set not found' }, async () => {
    const expected = readDevManifest(DEV);
    assert.equal(expected.size, 119, 'the dev manifest lists 119 images');
    const faces = new Map<string, number>();
    for (const file of expected.keys()) {
      const { image } = await decodeImage(path.join(DEV, file), ANALYSIS_MAX_SIDE);
      faces.set(file, (await detectFacesOnArt(image, ART_DETECT_DEFAULT)).length);
    }
    const s = scoreDevSet(faces, expected);
    assert.equal(s.withFaces, 95);
    assert.equal(s.without, 24);
    assert.ok(s.found >= DEV_MIN_FOUND, `a face found in ${s.found}/95`);
    assert.ok(s.right >= DEV_MIN_COUNT_RIGHT, `count right on ${s.right}/95`);
    assert.ok(s.falseImages <= DEV_MAX_FALSE, `a face on ${s.falseImages}/24 images without one`);
  });
});
