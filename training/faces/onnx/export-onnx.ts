/**
 * Writes the face models the app ships as ONNX files, from the weights already in the repo:
 *
 *   node --import tsx training/faces/onnx/export-onnx.ts [--check]
 *
 * --check writes nothing and fails when the committed files differ from a fresh export.
 *
 * - models/faces/onnx/ssd-mobilenet-v1.onnx: face-api's SSD MobileNet v1 (weights from
 *   node_modules/@vladmandic/face-api/model), from a square uint8 RGB image [S, S, 3] (the
 *   caller pads to a square, as face-api does) to 5,118 decoded boxes [y0, x0, y1, x1]
 *   (relative to the square) and their face scores. Non-maximum suppression stays in JS.
 * - models/faces/onnx/tiny-face-detector.onnx: face-api's tiny face detector at input size 416
 *   (the fast preset's), from the same square image to its raw output grid; box decoding and
 *   suppression stay in JS (tiny-onnx.ts).
 * - models/faces/onnx/face-classifier.onnx: the shipped face-emotion model end to end, from one
 *   48×48 grey crop [1, 48, 48, 1] (0–255) to the head's 7 expression and 4 class probabilities:
 *   face-api's expression trunk + mini-Xception features + standardisation + the trained head.
 *
 * Both graphs are recorded from the TF.js code the app runs (training/faces/onnx/trace-tfjs.ts), so
 * they compute what that code computes; training/faces/onnx/onnx-parity.test.ts checks it.
 * A manifest (onnx/manifest.json) keeps each file's sha256 and the digest of what it was made
 * from; the analyser id carries the files' digest.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadFaceApi, faceApiModelDir } from '../../../electron/engine/faces/face-api.ts';
import { loadHead } from '../../../electron/engine/classify/emotion-head.ts';
import { loadMiniXception, MX_CHANNELS } from '../../../electron/engine/classify/mini-xception.ts';
import { useWasmBackend } from '../../../electron/engine/classify/wasm-setup.ts';
import { ONNX_FILES, TINY_INPUT_SIZE } from '../../../electron/engine/ml/onnx-models.ts';
import { TfjsOnnxTracer } from './trace-tfjs.ts';
import { MODELS, REPO } from '../../paths.ts';


const OUT = path.join(MODELS, 'faces', 'onnx');

const BLOCK = 'StatefulPartitionedCall/model_1/add_2/add';
const LOGITS = 'StatefulPartitionedCall/model_1/global_average_pooling2d_1/Mean';

function sha256(...files: string[]): string {
  const h = crypto.createHash('sha256');
  for (const f of files) h.update(path.basename(f)).update(fs.readFileSync(f));
  return h.digest('hex');
}

async function exportDetector(): Promise<Uint8Array> {
  const faceapi = await loadFaceApi(['ssdMobilenetv1']);
  const tracer = new TfjsOnnxTracer();
  // Any size other than 512 makes the trace include the resize; S stays dynamic.
  const image = tf.randomUniform([600, 600, 3], 0, 255, 'float32') as tf.Tensor3D;
  tracer.input(image, 'image', ['S', 'S', 3], true);
  const { boxes, scores } = await tracer.trace(async () => {
    const input = await faceapi.toNetInput(image as unknown as Parameters<typeof faceapi.toNetInput>[0]);
    return faceapi.nets.ssdMobilenetv1.forwardInput(input) as unknown as { boxes: tf.Tensor[]; scores: tf.Tensor[] };
  });
  tracer.output(boxes[0]!, 'boxes');
  tracer.output(scores[0]!, 'scores');
  console.log('detector kernels:', Object.fromEntries(tracer.kernelsSeen));
  tf.dispose([image, ...boxes, ...scores]);
  return tracer.encode({
    graphName: 'ssd_mobilenetv1',
    doc: "face-api's SSD MobileNet v1 (@vladmandic/face-api 1.7.15 weights, MIT): square uint8 RGB in, decoded boxes [y0,x0,y1,x1] and scores out",
  });
}

async function exportTinyDetector(): Promise<Uint8Array> {
  const faceapi = await loadFaceApi(['tinyFaceDetector']);
  const tracer = new TfjsOnnxTracer();
  const image = tf.randomUniform([600, 600, 3], 0, 255, 'float32') as tf.Tensor3D;
  tracer.input(image, 'image', ['S', 'S', 3], true);
  const grid = await tracer.trace(async () => {
    const input = await faceapi.toNetInput(image as unknown as Parameters<typeof faceapi.toNetInput>[0]);
    return faceapi.nets.tinyFaceDetector.forwardInput(input, TINY_INPUT_SIZE) as unknown as tf.Tensor;
  });
  tracer.output(grid, 'grid');
  console.log('tiny detector kernels:', Object.fromEntries(tracer.kernelsSeen));
  tf.dispose([image, grid]);
  return tracer.encode({
    graphName: 'tiny_face_detector',
    doc: `face-api's tiny face detector (@vladmandic/face-api 1.7.15 weights, MIT) at input size ${TINY_INPUT_SIZE}: square uint8 RGB in, the raw 13×13×5×5 YOLO grid out`,
  });
}

async function exportClassifier(): Promise<Uint8Array> {
  const faceapi = await loadFaceApi(['faceExpressionNet']);
  const head = await loadHead(path.join(MODELS, 'faces', 'head'));
  const sets = head.config.features;
  const mx = sets.some((s) => s !== 'faceapi') ? await loadMiniXception(path.join(MODELS, 'faces')) : null;
  const tracer = new TfjsOnnxTracer();
  const face = tf.randomUniform([1, 48, 48, 1], 0, 255, 'float32') as tf.Tensor4D;
  tracer.input(face, 'face');
  const [expr, quad] = await tracer.trace(async () => {
    const parts: Record<string, tf.Tensor2D> = {};
    if (sets.includes('faceapi')) {
      // As face-api-features.ts: the grey crop as RGB through face-api's NetInput (resized to 112).
      const rgb = tf.tile(tf.reshape(face, [48, 48, 1]), [1, 1, 3]) as tf.Tensor3D;
      const input = await faceapi.toNetInput(rgb as unknown as Parameters<typeof faceapi.toNetInput>[0]);
      const feats = faceapi.nets.faceExpressionNet.faceFeatureExtractor.forwardInput(input) as unknown as tf.Tensor;
      parts.faceapi = tf.reshape(feats, [1, 256]) as tf.Tensor2D;
    }
    if (mx) {
      // As mini-xception.ts: 64×64, scaled to −1…1, block features and class scores.
      const x = tf.mul(tf.sub(tf.div(tf.image.resizeBilinear(face, [64, 64]), 255), 0.5), 2) as tf.Tensor4D;
      const [block, logits] = mx.execute(x, [BLOCK, LOGITS]) as tf.Tensor[];
      const scores = tf.reshape(logits!, [1, 7]);
      parts.mxgap = tf.concat([tf.reshape(tf.mean(block!, [1, 2]), [1, MX_CHANNELS]), scores], 1) as tf.Tensor2D;
      parts.mxgrid = tf.concat([tf.reshape(tf.avgPool(block as tf.Tensor4D, [4, 4], [4, 4], 'valid'), [1, 4 * MX_CHANNELS]), scores], 1) as tf.Tensor2D;
    }
    const x = tf.concat(sets.map((s) => parts[s]!), 1);
    const z = tf.div(tf.sub(x, tf.tensor1d(head.config.mean)), tf.tensor1d(head.config.std));
    return head.model.predict(z) as tf.Tensor[];
  });
  tracer.output(expr!, 'expressions');
  tracer.output(quad!, 'classes');
  console.log('classifier kernels:', Object.fromEntries(tracer.kernelsSeen));
  return tracer.encode({
    graphName: 'face_classifier',
    doc: 'Portrait Songs face-emotion model (models/faces/MODEL_CARD.md): 48×48 grey crop in, 7 expression and 4 class probabilities out',
  });
}

async function main(): Promise<void> {
  await useWasmBackend();
  const graphs = {
    [ONNX_FILES.detector]: await exportDetector(),
    [ONNX_FILES.classifier]: await exportClassifier(),
    [ONNX_FILES.tinyDetector]: await exportTinyDetector(),
  };
  if (process.argv.includes('--check')) {
    // The committed files must be exactly what this script makes from the shipped weights.
    const stale = Object.entries(graphs).filter(([f, bytes]) => !fs.existsSync(path.join(OUT, f)) || !fs.readFileSync(path.join(OUT, f)).equals(bytes));
    for (const [f] of stale) console.error(`models/faces/onnx/${f} differs from a fresh export: run training/faces/onnx/export-onnx.ts`);
    if (stale.length === 0) console.log('committed ONNX graphs match a fresh export');
    process.exitCode = stale.length ? 1 : 0;
    return;
  }
  fs.mkdirSync(OUT, { recursive: true });
  const faceApiDir = faceApiModelDir();
  for (const [f, bytes] of Object.entries(graphs)) fs.writeFileSync(path.join(OUT, f), bytes);
  const headDir = path.join(MODELS, 'faces', 'head');
  const mxDir = path.join(MODELS, 'faces', 'mini-xception');
  const manifest = {
    generatedBy: 'training/faces/onnx/export-onnx.ts',
    tfjs: tf.version.tfjs,
    files: {
      [ONNX_FILES.detector]: {
        sha256: sha256(path.join(OUT, ONNX_FILES.detector)),
        from: { 'face-api ssd_mobilenetv1': sha256(...['ssd_mobilenetv1_model-weights_manifest.json', 'ssd_mobilenetv1_model.bin'].map((f) => path.join(faceApiDir, f))) },
      },
      [ONNX_FILES.tinyDetector]: {
        sha256: sha256(path.join(OUT, ONNX_FILES.tinyDetector)),
        from: { 'face-api tiny_face_detector': sha256(...['tiny_face_detector_model-weights_manifest.json', 'tiny_face_detector_model.bin'].map((f) => path.join(faceApiDir, f))) },
      },
      [ONNX_FILES.classifier]: {
        sha256: sha256(path.join(OUT, ONNX_FILES.classifier)),
        from: {
          'face-api face_expression': sha256(...['face_expression_model-weights_manifest.json', 'face_expression_model.bin'].map((f) => path.join(faceApiDir, f))),
          'faces/head': sha256(...fs.readdirSync(headDir).sort().map((f) => path.join(headDir, f))),
          'faces/mini-xception': sha256(...fs.readdirSync(mxDir).sort().map((f) => path.join(mxDir, f))),
        },
      },
    },
  };
  fs.writeFileSync(path.join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  for (const f of Object.values(ONNX_FILES)) console.log(`${path.relative(REPO, path.join(OUT, f))}: ${(fs.statSync(path.join(OUT, f)).size / 1e6).toFixed(2)} MB`);
}

await main();
