/**
 * detectFacesOnArt with ART_DETECT_DEFAULT on the 60 demo portraits and on the generated
 * face-free set, in one pass over both, on the runtime the app would pick (ONNX Runtime where
 * it loads: ~15 s; TF.js wasm: ~1 s per image). The detector is deterministic, so the counts
 * are exact, not statistical.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeImage } from '../decode/image.ts';
import { ANALYSIS_MAX_SIDE } from '../analyse/analyse-portrait.ts';
import { ART_DETECT_DEFAULT, detectFacesOnArt } from './detect-art.ts';
import { writeFaceFreeSet } from './face-free-set.ts';
import { loadFaceApi } from './face-api.ts';
import { iou, mergeCandidates } from './merge-candidates.ts';
import { tileRects } from './art-passes.ts';

const DEMO = path.resolve(import.meta.dirname, '../../../../shared/data/portraits/demo');

/** What the default preset achieved when it was chosen (see detect-art.ts). */
const MIN_FOUND = 60;
const MIN_COUNT_RIGHT = 55;

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

describe('detectFacesOnArt (ART_DETECT_DEFAULT)', { skip: !fs.existsSync(DEMO) && 'demo portraits not found', timeout: 600_000 }, () => {
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
});
