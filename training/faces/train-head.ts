/**
 * Training of the dense head on cached features with tfjs `fitDataset`: shuffled mini-batches
 * streamed from plain arrays (the augmented training matrix is too big to hold as one wasm
 * tensor), Adam, model selection on PublicTest via SelectOnValidation.
 */
import * as tf from '@tensorflow/tfjs';
import { FACE_QUADRANTS, FER_LABELS, FER_TO_QUADRANT } from '../../shared/emotion.ts';
import { buildHead, FEATURE_SETS, predictHead, type FeatureSet, type HeadConfig, type TrainedHead } from '../../electron/engine/classify/emotion-head.ts';
import { argmaxIndex } from '../common/metrics.ts';
import { rng } from '../../electron/engine/ml/rng.ts';
import { SelectOnValidation } from './select-on-validation.ts';

/** FER label code → face-class index (Q1, Q2, Q3, N). */
export const FER_TO_QUAD_INDEX = FER_LABELS.map((l) => FACE_QUADRANTS.indexOf(FER_TO_QUADRANT[l]));

export interface TrainOptions {
  batchSize: number;
  learningRate: number;
  maxEpochs: number;
  stopPatience: number;
  lrPatience: number;
  seed: number;
  /**
   * Per training row, the probability that a whole feature set is blanked (set to its mean).
   * mini-Xception was trained on the Training faces, so its features are far more telling
   * there than on new faces; blanking them now and then makes the head keep using the rest.
   */
  setDropout?: Partial<Record<FeatureSet, number>>;
  log?: (msg: string) => void;
}

export const RECIPE: TrainOptions = { batchSize: 64, learningRate: 1e-3, maxEpochs: 80, stopPatience: 8, lrPatience: 4, seed: 7 };

/** Validation views: predictions are averaged over them (one view = no TTA). */
export interface Validation {
  views: Float32Array[];
  labels: Uint8Array;
}

export interface HeadScores {
  acc7: number;
  acc4Head: number;
  acc4Derived: number;
}

/** Averaged 7- and 4-class probabilities over the views. */
export function predictViews(head: TrainedHead, views: Float32Array[]): { expr: Float32Array; quad: Float32Array } {
  let expr: Float32Array | null = null;
  let quad: Float32Array | null = null;
  for (const v of views) {
    const p = predictHead(head, v);
    if (!expr || !quad) {
      expr = p.expr;
      quad = p.quad;
    } else {
      for (let i = 0; i < expr.length; i++) expr[i]! += p.expr[i]!;
      for (let i = 0; i < quad.length; i++) quad[i]! += p.quad[i]!;
    }
  }
  return { expr: expr!, quad: quad! };
}

export function derivedQuad(expr: Float32Array): Float32Array {
  const n = expr.length / 7;
  const out = new Float32Array(n * 4);
  for (let r = 0; r < n; r++) for (let c = 0; c < 7; c++) out[r * 4 + FER_TO_QUAD_INDEX[c]!]! += expr[r * 7 + c]!;
  return out;
}

export function scoreHead(head: TrainedHead, val: Validation): HeadScores {
  const { expr, quad } = predictViews(head, val.views);
  const der = derivedQuad(expr);
  let a7 = 0;
  let a4h = 0;
  let a4d = 0;
  const n = val.labels.length;
  for (let r = 0; r < n; r++) {
    const y = val.labels[r]!;
    const q = FER_TO_QUAD_INDEX[y]!;
    if (argmaxIndex(expr.subarray(r * 7, r * 7 + 7)) === y) a7++;
    if (argmaxIndex(quad.subarray(r * 4, r * 4 + 4)) === q) a4h++;
    if (argmaxIndex(der.subarray(r * 4, r * 4 + 4)) === q) a4d++;
  }
  return { acc7: a7 / n, acc4Head: a4h / n, acc4Derived: a4d / n };
}

/**
 * `x` holds the assembled (unstandardised) features of every training face in each of its
 * views, stacked view after view; `labels` the FER codes of one view's faces. An epoch is one
 * pass over the faces, each seen through one randomly drawn view — as with on-the-fly
 * augmentation — so epochs, patience and LR steps mean what they mean in the usual recipe.
 * The head config's mean/std must already be set from the training rows.
 */
export async function trainHead(
  config: HeadConfig,
  x: Float32Array,
  labels: Uint8Array,
  val: Validation,
  opts: TrainOptions = RECIPE,
): Promise<{ head: TrainedHead; bestEpoch: number; epochs: number; scores: number[]; seconds: number }> {
  const dim = config.mean.length;
  const n = labels.length;
  const nViews = x.length / (n * dim);
  if (!Number.isInteger(nViews)) throw new Error('training matrix is not a whole number of views');
  const xs = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) xs[i] = (x[i]! - config.mean[i % dim]!) / config.std[i % dim]!;
  const model = buildHead(dim, config.hidden, config.dropout, opts.seed);
  model.compile({
    optimizer: tf.train.adam(opts.learningRate),
    loss: ['categoricalCrossentropy', 'categoricalCrossentropy'],
  });
  const head: TrainedHead = { config, model };
  const next = rng(opts.seed);
  const blank: { from: number; to: number; p: number }[] = [];
  let offset = 0;
  for (const set of config.features) {
    const p = opts.setDropout?.[set] ?? 0;
    if (p > 0) blank.push({ from: offset, to: offset + FEATURE_SETS[set], p });
    offset += FEATURE_SETS[set];
  }
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const batchSize = opts.batchSize;
  const dataset = tf.data.generator(function* () {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (let s = 0; s < n; s += batchSize) {
      const m = Math.min(batchSize, n - s);
      const bx = new Float32Array(m * dim);
      const by7 = new Float32Array(m * 7);
      const by4 = new Float32Array(m * 4);
      for (let k = 0; k < m; k++) {
        const r = order[s + k]!;
        const row = Math.floor(next() * nViews) * n + r;
        bx.set(xs.subarray(row * dim, (row + 1) * dim), k * dim);
        for (const b of blank) if (next() < b.p) bx.fill(0, k * dim + b.from, k * dim + b.to);
        by7[k * 7 + labels[r]!] = 1;
        by4[k * 4 + FER_TO_QUAD_INDEX[labels[r]!]!] = 1;
      }
      yield { xs: tf.tensor2d(bx, [m, dim]), ys: [tf.tensor2d(by7, [m, 7]), tf.tensor2d(by4, [m, 4])] };
    }
  });
  const select = new SelectOnValidation({
    // Model selection on the 4-class accuracy (the app's target), whichever route gives it.
    score: () => {
      const s = scoreHead(head, val);
      return Math.max(s.acc4Head, s.acc4Derived);
    },
    stopPatience: opts.stopPatience,
    lrPatience: opts.lrPatience,
    lrFactor: 0.5,
    minLr: 1e-5,
    log: opts.log,
  });
  const t0 = Date.now();
  await model.fitDataset(dataset as unknown as tf.data.Dataset<tf.TensorContainer>, { epochs: opts.maxEpochs, verbose: 0, callbacks: [select] });
  select.restoreBest();
  return { head, bestEpoch: select.bestEpoch + 1, epochs: select.scores.length, scores: select.scores, seconds: (Date.now() - t0) / 1000 };
}
