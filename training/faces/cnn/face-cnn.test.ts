/**
 * The face CNN as it ships: the committed graph is the one the exporter checked against PyTorch
 * (digest), ONNX Runtime in Node gives PyTorch's probabilities on the exporter's PrivateTest
 * faces, the classifier applies cnn.json's route and head weight, and the whole PrivateTest
 * split through the engine's classifier does not fall below the figure the model card reports.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FACE_QUADRANTS, FER_LABELS, FER_TO_QUADRANT, faceQuadrantProbs, faceReading } from '../../../shared/emotion.ts';
import { greyFromBytes } from '../../../electron/engine/classify/grey-image.ts';
import { loadCnnFaceClassifier, OnnxCnnFaceClassifier, readCnnConfig } from '../../../electron/engine/classify/cnn-classifier.ts';
import { onnxModelPath } from '../../../electron/engine/ml/onnx-models.ts';
import { ferImage, loadFer, splitIndices } from '../fer-data.ts';
import { FER_DIR, MODELS } from '../../paths.ts';

const fixture = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'face-cnn-parity.json'), 'utf8')) as {
  graphSha256: string;
  ferIndices: number[];
  expressions: number[][];
  classes: number[][];
};
const noData = !fs.existsSync(path.join(FER_DIR, 'images.u8')) && 'FER-2013 is not at shared/data/fer';

test('the committed graph is the one the exporter checked', () => {
  const sha = crypto.createHash('sha256').update(fs.readFileSync(onnxModelPath('faceCnn', MODELS))).digest('hex');
  assert.equal(sha, fixture.graphSha256);
});

test('ONNX Runtime in Node gives PyTorch’s probabilities', { skip: noData }, async () => {
  const fer = loadFer(FER_DIR);
  const cnn = loadCnnFaceClassifier(MODELS);
  const faces = fixture.ferIndices.map((i) => greyFromBytes(ferImage(fer, i)));
  const got = await cnn.netProbs(faces);
  let worst = 0;
  fixture.expressions.forEach((row, k) => row.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - got.expr[k * 7 + i]!)))));
  fixture.classes.forEach((row, k) => row.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - got.quad[k * 4 + i]!)))));
  assert.ok(worst < 1e-5, `largest difference ${worst}`);
});

test('cnn.json is validated', () => {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'cnn-config-'));
  fs.mkdirSync(path.join(dir, 'faces', 'cnn'), { recursive: true });
  const write = (c: object): void => fs.writeFileSync(path.join(dir, 'faces', 'cnn', 'cnn.json'), JSON.stringify(c));
  write({ format: 'portrait-songs-face-cnn/1', route: 'sum7', headWeight: 0, cropMargin: 0, vaTemperature: 1 });
  assert.equal(readCnnConfig(dir).route, 'sum7');
  for (const bad of [{ route: 'argmax' }, { headWeight: 1 }, { headWeight: -0.1 }, { cropMargin: 'wide' }, { format: 'x/2' }, { vaTemperature: 0 }, { vaTemperature: 2 }]) {
    write({ format: 'portrait-songs-face-cnn/1', route: 'sum7', headWeight: 0, cropMargin: 0, vaTemperature: 0.5, ...bad });
    assert.throws(() => readCnnConfig(dir), /cnn\.json/);
  }
});

test('the route decides the 4 classes; the V/A point comes from the 7 expressions', { skip: noData }, async () => {
  const fer = loadFer(FER_DIR);
  const faces = fixture.ferIndices.slice(0, 12).map((i) => greyFromBytes(ferImage(fer, i)));
  const sum7 = new OnnxCnnFaceClassifier({ format: 'portrait-songs-face-cnn/1', route: 'sum7', headWeight: 0, cropMargin: 0, vaTemperature: 1 }, null);
  const head4 = new OnnxCnnFaceClassifier({ format: 'portrait-songs-face-cnn/1', route: 'head4', headWeight: 0, cropMargin: 0, vaTemperature: 1 }, null);
  const a = await sum7.classifyCrops(faces);
  const b = await head4.classifyCrops(faces);
  a.forEach((e, k) => {
    const summed = faceQuadrantProbs(e.expressionProbs);
    for (const q of FACE_QUADRANTS) assert.ok(Math.abs(summed[q] - e.quadrantProbs[q]) < 1e-5);
    for (const q of FACE_QUADRANTS) assert.ok(Math.abs(b[k]!.quadrantProbs[q] - fixture.classes[k]![FACE_QUADRANTS.indexOf(q)]!) < 1e-5);
    for (const l of FER_LABELS) assert.ok(Math.abs(e.expressionProbs[l] - b[k]!.expressionProbs[l]) < 1e-9);
  });
});

test('PrivateTest through the engine’s classifier holds the model card’s figures', { skip: noData }, async () => {
  const card = JSON.parse(fs.readFileSync(path.join(MODELS, 'faces', 'cnn', 'selection.json'), 'utf8')) as { chosen: { private: { accuracy4: number }; badgeAccuracy4: { private: number } } };
  const fer = loadFer(FER_DIR);
  const idx = splitIndices(fer, 'PrivateTest');
  const out = await loadCnnFaceClassifier(MODELS).classifyCrops(idx.map((i) => greyFromBytes(ferImage(fer, i))));
  const truth = idx.map((i) => FER_TO_QUADRANT[FER_LABELS[fer.labels[i]!]!]);
  const acc = out.filter((e, k) => e.quadrant === truth[k]).length / idx.length;
  // The badge the app shows follows the V/A point (with cnn.json's temperature).
  const badge = out.filter((e, k) => faceReading({ probs: e.quadrantProbs, valence: e.valence, arousal: e.arousal }).quadrant === truth[k]).length / idx.length;
  // Python and Node compute the same graph; crops, rounding and summation order may move a face or two.
  assert.ok(Math.abs(acc - card.chosen.private.accuracy4) <= 0.002, `engine ${acc} vs selection ${card.chosen.private.accuracy4}`);
  assert.ok(Math.abs(badge - card.chosen.badgeAccuracy4.private) <= 0.002, `engine badge ${badge} vs selection ${card.chosen.badgeAccuracy4.private}`);
});
