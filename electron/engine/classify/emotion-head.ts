/**
 * The trained part of the face-emotion model: a small dense network on frozen features, with
 * two softmax outputs (7 FER expressions and the 4 face classes), plus the feature layout and
 * standardisation it was trained with. Saved as a tfjs layers model (model.json + weights.bin)
 * next to head.json, which holds everything that is not a weight.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { FACE_API_FEATURES } from './face-api-features.ts';
import { MX_CHANNELS, MX_FEATURES } from './mini-xception.ts';

/** faceapi: face-api expression trunk (256). mxgap: mini-Xception block pooled globally + its 7 class scores (263). mxgrid: pooled on a 2×2 grid + class scores (1,031). */
export const FEATURE_SETS = { faceapi: FACE_API_FEATURES, mxgap: MX_CHANNELS + 7, mxgrid: MX_FEATURES } as const;
export type FeatureSet = keyof typeof FEATURE_SETS;

export interface HeadConfig {
  format: 'portrait-songs-face-head/1';
  features: FeatureSet[];
  /** Per-dimension standardisation measured on the training rows. */
  mean: number[];
  std: number[];
  /** Where the 4 class probabilities come from: the head's own output, or summed from the 7. */
  quadrantSource: 'head' | 'derived';
  /** Average predictions over the face and its mirror image. */
  flipTta: boolean;
  /** Square crop side = max(w, h) × (1 + cropMargin) around a detector box. */
  cropMargin: number;
  hidden: number[];
  dropout: number;
}

export function featureDim(sets: readonly FeatureSet[]): number {
  return sets.reduce((a, s) => a + FEATURE_SETS[s], 0);
}

/**
 * Lays raw extractor rows out as the head's input (before standardisation): for each face,
 * the chosen sets side by side. `mx` rows are in mini-xception.ts's layout.
 */
export function assembleFeatures(sets: readonly FeatureSet[], n: number, faceapi: Float32Array | null, mx: Float32Array | null): Float32Array {
  const dim = featureDim(sets);
  const out = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    let o = r * dim;
    for (const set of sets) {
      if (set === 'faceapi') {
        if (!faceapi) throw new Error('face-api features missing');
        out.set(faceapi.subarray(r * FACE_API_FEATURES, (r + 1) * FACE_API_FEATURES), o);
      } else {
        if (!mx) throw new Error('mini-Xception features missing');
        const row = mx.subarray(r * MX_FEATURES, (r + 1) * MX_FEATURES);
        if (set === 'mxgrid') out.set(row, o);
        else {
          for (let c = 0; c < MX_CHANNELS; c++) {
            out[o + c] = (row[c]! + row[MX_CHANNELS + c]! + row[2 * MX_CHANNELS + c]! + row[3 * MX_CHANNELS + c]!) / 4;
          }
          out.set(row.subarray(4 * MX_CHANNELS), o + MX_CHANNELS);
        }
      }
      o += FEATURE_SETS[set];
    }
  }
  return out;
}

export function standardise(x: Float32Array, mean: readonly number[], std: readonly number[]): Float32Array {
  const dim = mean.length;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i]! - mean[i % dim]!) / std[i % dim]!;
  return out;
}

export function fitStandardisation(x: Float32Array, dim: number): { mean: number[]; std: number[] } {
  const n = x.length / dim;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let r = 0; r < n; r++) {
    for (let d = 0; d < dim; d++) {
      const v = x[r * dim + d]!;
      mean[d]! += v;
      sq[d]! += v * v;
    }
  }
  const m = Array.from(mean, (s) => s / n);
  // A floor keeps near-constant dimensions (dead ReLUs) from blowing up.
  const s = Array.from(sq, (q, d) => Math.sqrt(Math.max(q / n - m[d]! ** 2, 0)) + 1e-3);
  return { mean: m, std: s };
}

/** Seeded initialisers and dropout make a rerun of the recipe repeat its weights. */
export function buildHead(inputDim: number, hidden: number[], dropout: number, seed = 7): tf.LayersModel {
  const input = tf.input({ shape: [inputDim] });
  let x: tf.SymbolicTensor = tf.layers.dropout({ rate: 0.1, seed }).apply(input) as tf.SymbolicTensor;
  hidden.forEach((units, i) => {
    x = tf.layers
      .dense({ units, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed + i + 1 }) })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.dropout({ rate: dropout, seed: seed + 100 + i }).apply(x) as tf.SymbolicTensor;
  });
  const out = (units: number, name: string, s: number) =>
    tf.layers.dense({ units, activation: 'softmax', name, kernelInitializer: tf.initializers.glorotUniform({ seed: s }) }).apply(x) as tf.SymbolicTensor;
  const expr = out(7, 'expr', seed + 200);
  const quad = out(4, 'quad', seed + 201);
  return tf.model({ inputs: input, outputs: [expr, quad] });
}

export interface TrainedHead {
  config: HeadConfig;
  model: tf.LayersModel;
}

/** Runs the head on assembled, unstandardised features: 7 and 4 probabilities per row. */
export function predictHead(head: TrainedHead, x: Float32Array): { expr: Float32Array; quad: Float32Array } {
  const dim = head.config.mean.length;
  const n = x.length / dim;
  const [expr, quad] = tf.tidy(() => {
    const input = tf.tensor2d(standardise(x, head.config.mean, head.config.std), [n, dim]);
    return head.model.predict(input, { batchSize: 512 }) as tf.Tensor[];
  });
  const out = { expr: expr!.dataSync() as Float32Array, quad: quad!.dataSync() as Float32Array };
  tf.dispose([expr!, quad!]);
  return out;
}

export async function saveHead(dir: string, head: TrainedHead): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await head.model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const wd = artifacts.weightData;
      const weights = wd === undefined ? new ArrayBuffer(0) : Array.isArray(wd) ? tf.io.concatenateArrayBuffers(wd) : wd;
      fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(weights));
      const modelJson = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }),
  );
  // Standardisation stats rounded: 7 significant digits is float32 precision anyway.
  const round = (xs: number[]) => xs.map((v) => Number(v.toPrecision(7)));
  const config = { ...head.config, mean: round(head.config.mean), std: round(head.config.std) };
  fs.writeFileSync(path.join(dir, 'head.json'), JSON.stringify(config, null, 1) + '\n');
}

export async function loadHead(dir: string): Promise<TrainedHead> {
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'head.json'), 'utf8')) as HeadConfig;
  if (config.format !== 'portrait-songs-face-head/1') throw new Error(`${dir}/head.json: unknown format ${String(config.format)}`);
  const modelJson = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as {
    modelTopology: tf.io.ModelArtifacts['modelTopology'];
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const bin = fs.readFileSync(path.join(dir, 'weights.bin'));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  const model = await tf.loadLayersModel({
    load: async () => ({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData,
    }),
  });
  return { config, model };
}
