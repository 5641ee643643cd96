/**
 * Oarriaga's FER-2013 Xception-style CNN as shipped by @vladmandic/human (models/emotion.json;
 * despite the "mini-Xception" name its graph is the 32/64 → 128 → 256 "big_XCEPTION" layout).
 * Input 64×64 grey scaled to (g/255 − 0.5) × 2. Features are taken from the last residual
 * block (8×8×256) before the 7-way conv: averaged over a 2×2 grid of 4×4 cells (1,024 values;
 * their mean is the global average pool), plus the 7 pre-softmax class scores.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { GreyImage } from './grey-image.ts';
import { loadGraphModelFromFiles } from './graph-model-files.ts';

export const MINI_XCEPTION_DIR = 'mini-xception';
const INPUT = 64;
const BLOCK = 'StatefulPartitionedCall/model_1/add_2/add';
const LOGITS = 'StatefulPartitionedCall/model_1/global_average_pooling2d_1/Mean';
export const MX_CHANNELS = 256;
/** 2×2 grid × 256 channels + 7 class scores. */
export const MX_FEATURES = 4 * MX_CHANNELS + 7;

const cache = new Map<string, Promise<tf.GraphModel>>();

/** `facesDir` is models/faces (the folder holding mini-xception/). */
export function loadMiniXception(facesDir: string): Promise<tf.GraphModel> {
  const file = path.join(facesDir, MINI_XCEPTION_DIR, 'emotion.json');
  let p = cache.get(file);
  if (!p) {
    p = loadGraphModelFromFiles(file);
    cache.set(file, p);
  }
  return p;
}

function inputBatch(faces: GreyImage[]): tf.Tensor4D {
  return tf.tidy(() => {
    const side = faces[0]!.side;
    const flat = new Float32Array(faces.length * side * side);
    faces.forEach((f, k) => {
      if (f.side !== side) throw new Error('mini-Xception batch: faces of different sizes');
      flat.set(f.data, k * side * side);
    });
    const x = tf.tensor4d(flat, [faces.length, side, side, 1]);
    const resized = side === INPUT ? x : tf.image.resizeBilinear(x, [INPUT, INPUT]);
    return resized.div(255).sub(0.5).mul(2) as tf.Tensor4D;
  });
}

/** Per face: MX_FEATURES values (grid-pooled block features, then the 7 class scores). */
export async function miniXceptionFeatures(model: tf.GraphModel, faces: GreyImage[]): Promise<Float32Array> {
  if (faces.length === 0) return new Float32Array(0);
  const x = inputBatch(faces);
  const [block, logits] = model.execute(x, [BLOCK, LOGITS]) as tf.Tensor[];
  x.dispose();
  const feats = tf.tidy(() => {
    const n = faces.length;
    // 8×8 → 2×2 cells of 4×4.
    const grid = tf.avgPool(block as tf.Tensor4D, [4, 4], [4, 4], 'valid').reshape([n, 4 * MX_CHANNELS]);
    return tf.concat([grid, (logits as tf.Tensor).reshape([n, 7])], 1);
  });
  tf.dispose([block!, logits!]);
  const data = (await feats.data()) as Float32Array;
  feats.dispose();
  return data;
}

/** The shipped model's own 7 probabilities (FER_LABELS order), from the class scores. */
export function miniXceptionProbs(features: Float32Array, count: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let k = 0; k < count; k++) {
    const z = features.subarray(k * MX_FEATURES + 4 * MX_CHANNELS, (k + 1) * MX_FEATURES);
    const m = Math.max(...z);
    const e = Array.from(z, (v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    out.push(Float32Array.from(e, (v) => v / s));
  }
  return out;
}
