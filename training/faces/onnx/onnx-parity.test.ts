/**
 * The ONNX graphs (models/faces/onnx, training/faces/onnx/export-onnx.ts) against the TF.js code they were
 * exported from, on demo portraits: raw SSD outputs, the faces found by SSD and by the tiny
 * detector (same count, boxes within half a pixel, scores within 1e-3), and the classifier's
 * probabilities (within 1e-3, same class).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { decodeImage } from '../../../electron/engine/decode/image.ts';
import { ANALYSIS_MAX_SIDE } from '../../../electron/engine/analyse/analyse-portrait.ts';
import { loadFaceApi, type FaceApi } from '../../../electron/engine/faces/face-api.ts';
import { locateFacesOnnx, paddedSquare } from '../../../electron/engine/faces/ssd-onnx.ts';
import { locateFacesTinyOnnx } from '../../../electron/engine/faces/tiny-onnx.ts';
import { clahe } from '../../../electron/engine/faces/art-passes.ts';
import { useWasmBackend } from '../../../electron/engine/classify/wasm-setup.ts';
import { loadTrainedFaceClassifier, type TrainedFaceClassifier } from '../../../electron/engine/classify/trained-classifier.ts';
import { loadOnnxFaceClassifier, type OnnxFaceClassifier } from '../../../electron/engine/classify/onnx-classifier.ts';
import { cropFaceGrey } from '../../../electron/engine/classify/grey-image.ts';
import { modelsDir } from '../../../electron/engine/models-dir.ts';
import { loadOrt, onnxSession } from '../../../electron/engine/ml/onnx-runtime.ts';
import type { DecodedImage } from '../../../electron/engine/types.ts';
import { PORTRAITS_DEMO, REPO } from '../../paths.ts';

const DEMO = PORTRAITS_DEMO;
/** Spread over the set: a single portrait, a pair, a group, an engraving. */
const FILES = ['aic-24.jpg', 'met-436884.jpg', 'met-437090.jpg', 'aic-63.jpg'];
const RAW_TOL = 1e-3;
const BOX_TOL_PX = 0.5;
const PROB_TOL = 1e-3;

test('the committed ONNX graphs are what training/faces/onnx/export-onnx.ts makes from the shipped weights', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'export-onnx.ts'), '--check'], { cwd: REPO, encoding: 'utf8', timeout: 240_000 });
  assert.equal(r.status, 0, r.stderr || r.stdout);
  assert.match(r.stdout, /match a fresh export/);
});

describe('ONNX graphs match TF.js', { skip: !fs.existsSync(DEMO) && 'demo portraits not found', timeout: 300_000 }, () => {
  let faceapi: FaceApi;
  let tfjsClassifier: TrainedFaceClassifier;
  let onnxClassifier: OnnxFaceClassifier;
  const images: { file: string; image: DecodedImage }[] = [];

  before(async () => {
    await useWasmBackend();
    faceapi = await loadFaceApi(['ssdMobilenetv1', 'tinyFaceDetector', 'faceExpressionNet']);
    tfjsClassifier = await loadTrainedFaceClassifier(modelsDir());
    onnxClassifier = loadOnnxFaceClassifier(modelsDir());
    for (const file of FILES) {
      const { image } = await decodeImage(path.join(DEMO, file), ANALYSIS_MAX_SIDE);
      images.push({ file, image }, { file: `${file} (CLAHE)`, image: clahe(image) });
    }
  });

  test(`SSD raw boxes and scores within ${RAW_TOL}`, async (t) => {
    let worst = 0;
    const ort = loadOrt();
    const session = await onnxSession('detector');
    for (const { file, image } of images.slice(0, 2)) {
      const { data, side } = paddedSquare(image, [0, 0, image.width, image.height], false);
      const out = await session.run({ image: new ort.Tensor('uint8', data, [side, side, 3]) });
      const input = tf.tensor3d(data, [side, side, 3], 'int32');
      const netInput = await faceapi.toNetInput(input as unknown as Parameters<FaceApi['toNetInput']>[0]);
      const ref = faceapi.nets.ssdMobilenetv1.forwardInput(netInput) as unknown as { boxes: tf.Tensor[]; scores: tf.Tensor[] };
      const boxes = ref.boxes[0]!.dataSync();
      const scores = ref.scores[0]!.dataSync();
      tf.dispose([input, ...ref.boxes, ...ref.scores]);
      const ob = out.boxes!.data as Float32Array;
      const os = out.scores!.data as Float32Array;
      assert.equal(ob.length, boxes.length);
      let db = 0, ds = 0;
      for (let i = 0; i < ob.length; i++) db = Math.max(db, Math.abs(ob[i]! - boxes[i]!));
      for (let i = 0; i < os.length; i++) ds = Math.max(ds, Math.abs(os[i]! - scores[i]!));
      assert.ok(db < RAW_TOL && ds < RAW_TOL, `${file}: max |Δbox| ${db}, max |Δscore| ${ds}`);
      worst = Math.max(worst, db, ds);
    }
    t.diagnostic(`max |Δ| over 5,118 boxes and scores: ${worst.toExponential(2)}`);
  });

  /** One detector on both runtimes, plain and mirrored: same faces, boxes and scores within tolerance. */
  async function compareFaces(
    t: { diagnostic(message: string): void },
    onTfjs: (view: tf.Tensor3D) => Promise<{ box: { x: number; y: number; width: number; height: number }; score: number }[]>,
    onOnnx: (image: DecodedImage, mirror: boolean) => Promise<{ box: number[]; score: number }[]>,
  ): Promise<void> {
    let total = 0;
    let px = 0;
    let sc = 0;
    for (const { file, image } of images) {
      for (const mirror of [false, true]) {
        const view = tf.tidy(() => {
          const x = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
          return mirror ? tf.reverse(x, 1) : x;
        });
        const ref = await onTfjs(view);
        view.dispose();
        const got = await onOnnx(image, mirror);
        assert.equal(got.length, ref.length, `${file}${mirror ? ' mirrored' : ''}: ${got.length} faces on ONNX, ${ref.length} on TF.js`);
        ref.forEach((r, i) => {
          const g = got[i]!;
          const want = [r.box.x, r.box.y, r.box.width, r.box.height];
          want.forEach((v, k) => (px = Math.max(px, Math.abs(g.box[k]! - v))));
          sc = Math.max(sc, Math.abs(g.score - r.score));
          want.forEach((v, k) => assert.ok(Math.abs(g.box[k]! - v) < BOX_TOL_PX, `${file} face ${i}: box ${g.box} vs ${want}`));
          assert.ok(Math.abs(g.score - r.score) < RAW_TOL, `${file} face ${i}: score ${g.score} vs ${r.score}`);
        });
        total += ref.length;
      }
    }
    t.diagnostic(`${total} faces (floor 0.15): max |Δbox| ${px.toExponential(2)} px, max |Δscore| ${sc.toExponential(2)}`);
    assert.ok(total >= 8, `enough faces compared (${total})`);
  }

  test(`same faces: count, boxes within ${BOX_TOL_PX} px, scores within ${RAW_TOL} (plain and mirrored)`, (t) =>
    compareFaces(
      t,
      (view) =>
        faceapi.nets.ssdMobilenetv1.locateFaces(
          view as unknown as Parameters<FaceApi['nets']['ssdMobilenetv1']['locateFaces']>[0],
          new faceapi.SsdMobilenetv1Options({ minConfidence: 0.15, maxResults: 100 }),
        ),
      (image, mirror) => locateFacesOnnx(image, [0, 0, image.width, image.height], mirror, 0.15),
    ));

  test(`tiny detector: same faces, boxes within ${BOX_TOL_PX} px, scores within ${RAW_TOL}`, (t) =>
    compareFaces(
      t,
      (view) =>
        faceapi.nets.tinyFaceDetector.locateFaces(
          view as unknown as Parameters<FaceApi['nets']['tinyFaceDetector']['locateFaces']>[0],
          new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.15 }),
        ),
      (image, mirror) => locateFacesTinyOnnx(image, [0, 0, image.width, image.height], mirror, 0.15),
    ));

  test(`classifier probabilities within ${PROB_TOL}, same class`, async (t) => {
    let compared = 0;
    let worst = 0;
    for (const { file, image } of images.filter((_, i) => i % 2 === 0)) {
      const faces = await locateFacesOnnx(image, [0, 0, image.width, image.height], false, 0.3);
      const crops = faces.map((f) => cropFaceGrey(image, f.box, tfjsClassifier.cropMargin));
      const a = await tfjsClassifier.classifyCrops(crops);
      const b = await onnxClassifier.classifyCrops(crops);
      a.forEach((ea, i) => {
        const eb = b[i]!;
        assert.equal(eb.quadrant, ea.quadrant, `${file} face ${i}`);
        for (const [k, p] of Object.entries(ea.expressionProbs)) {
          worst = Math.max(worst, Math.abs(eb.expressionProbs[k as keyof typeof ea.expressionProbs] - p));
          assert.ok(Math.abs(eb.expressionProbs[k as keyof typeof ea.expressionProbs] - p) < PROB_TOL, `${file} face ${i} ${k}: ${eb.expressionProbs[k as keyof typeof ea.expressionProbs]} vs ${p}`);
        }
        compared++;
      });
    }
    t.diagnostic(`${compared} faces: max |Δ expression probability| ${worst.toExponential(2)}`);
    assert.ok(compared >= 4, `enough faces compared (${compared})`);
  });
});
