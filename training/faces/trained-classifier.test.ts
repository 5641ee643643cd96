/**
 * The committed face model: the regression guard on the fixed PrivateTest subset, and the
 * shape of what classify() returns on an image with boxes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { FACE_QUADRANTS, FER_LABELS } from '../../shared/emotion.ts';
import type { DecodedImage, FaceEmotion } from '../../electron/engine/types.ts';
import { evaluateFaces } from './eval-faces.ts';
import { ferImage, loadFer, regressionSubset } from './fer-data.ts';
import { greyFromBytes } from '../../electron/engine/classify/grey-image.ts';
import { loadTrainedFaceClassifier, type TrainedFaceClassifier } from '../../electron/engine/classify/trained-classifier.ts';
import { useWasmBackend } from '../../electron/engine/classify/wasm-setup.ts';
import { FER_DIR, MODELS as MODELS_DIR } from '../paths.ts';

const DATA = FER_DIR;
const MODELS = MODELS_DIR;
const noData = !fs.existsSync(path.join(DATA, 'images.u8')) && 'FER-2013 is not at shared/data/fer';

let classifier: TrainedFaceClassifier;
before(async () => {
  await useWasmBackend();
  classifier = await loadTrainedFaceClassifier(MODELS);
});

function assertWellFormed(e: FaceEmotion): void {
  const q = FACE_QUADRANTS.map((k) => e.quadrantProbs[k]);
  const x = FER_LABELS.map((k) => e.expressionProbs[k]);
  for (const p of [...q, ...x]) assert.ok(Number.isFinite(p) && p >= 0 && p <= 1, `probability ${p}`);
  assert.ok(Math.abs(q.reduce((a, b) => a + b, 0) - 1) < 1e-5);
  assert.ok(Math.abs(x.reduce((a, b) => a + b, 0) - 1) < 1e-5);
  assert.equal(e.quadrant, FACE_QUADRANTS[q.indexOf(Math.max(...q))]);
  assert.ok(e.valence >= -1 && e.valence <= 1 && e.arousal >= -1 && e.arousal <= 1);
}

test('regression guard: the committed model on the fixed PrivateTest subset', { skip: noData }, async () => {
  const metrics = JSON.parse(fs.readFileSync(path.join(MODELS, 'faces', 'metrics.json'), 'utf8')) as {
    regression: { accuracy4: number; faces: number; tolerance: number };
  };
  const fer = loadFer(DATA);
  const indices = regressionSubset(fer);
  assert.equal(indices.length, metrics.regression.faces);
  const report = await evaluateFaces({ dataDir: DATA, split: 'PrivateTest', indices, models: [classifier] });
  const acc = report.models[0]!.accuracy4;
  assert.ok(
    acc >= metrics.regression.accuracy4 - metrics.regression.tolerance,
    `4-class accuracy ${acc} fell more than ${metrics.regression.tolerance} below the recorded ${metrics.regression.accuracy4}`,
  );
});

/** A FER face, upscaled ×4 in colour, in the middle of a larger light-grey canvas. */
function portraitFromFer(face: Uint8Array, canvas = 320): { image: DecodedImage; face: { x: number; y: number; side: number } } {
  const side = 192;
  const x0 = 40;
  const y0 = 70;
  const data = new Uint8Array(canvas * canvas * 3).fill(200);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const g = face[Math.floor(y / 4) * 48 + Math.floor(x / 4)]!;
      const p = ((y0 + y) * canvas + x0 + x) * 3;
      data[p] = Math.min(255, g + 12);
      data[p + 1] = g;
      data[p + 2] = Math.max(0, g - 12);
    }
  }
  return { image: { data, width: canvas, height: canvas }, face: { x: x0, y: y0, side } };
}

test('classify(): one well-formed result per box, including boxes past the image edge', async () => {
  const fer = fs.existsSync(path.join(DATA, 'images.u8')) ? loadFer(DATA) : null;
  const face = fer ? ferImage(fer, regressionSubset(fer)[200]!) : new Uint8Array(2304).map((_, i) => (i * 37) % 256);
  const { image, face: at } = portraitFromFer(face);
  // A box such that the classifier's square crop with its margin is exactly the FER frame.
  const inner = at.side / (1 + classifier.cropMargin);
  const box: [number, number, number, number] = [at.x + (at.side - inner) / 2, at.y + (at.side - inner) / 2, inner, inner];
  const results = await classifier.classify(image, [box, [280, -20, 80, 90], [0, 0, 1, 1]]);
  assert.equal(results.length, 3);
  results.forEach(assertWellFormed);
  assert.deepEqual(await classifier.classify(image, []), []);
  // The crop path reproduces the FER frame: same answer as classifying the 48×48 face itself.
  const [direct] = await classifier.classifyCrops([greyFromBytes(face)]);
  assert.equal(results[0]!.quadrant, direct!.quadrant);
  for (const l of FER_LABELS) assert.ok(Math.abs(results[0]!.expressionProbs[l] - direct!.expressionProbs[l]) < 0.15, l);
});
