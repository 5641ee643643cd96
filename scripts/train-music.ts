/**
 * Trains the song-emotion model on the 4Q data set (Panda et al. 2018, 720 clips here).
 *
 *   node --import tsx scripts/train-music.ts
 *
 * 1. Features for every clip (decode-window.ts + features.ts), cached in .cache/music/.
 * 2. Every choice (feature groups, log transform, model type, regularisation) is scored by
 *    stratified 5-fold cross-validation with a fixed seed; the table is printed.
 * 3. The headline figure comes from NESTED cross-validation: in each outer fold the choice
 *    is made by an inner stratified 5-fold CV on the outer-training part only, then scored
 *    on the outer-test part. Picking the best row of the flat table would flatter it.
 * 4. The choice that wins the flat CV on all 720 clips is refit on all 720 and written to
 *    models/music/{model.json, metrics.json, MODEL_CARD.md}.
 *
 * Inputs are audio features only: the pquad, moods_found, genres, artist and title columns
 * are never read (moods_found is where the label came from).
 * Learners are written here (softmax regression and a one-hidden-layer tanh MLP, both
 * full-batch Adam): they are a few dozen lines, deterministic under a seed, and their
 * weights load into the dependency-free inference in model.ts. tfjs would add nothing for
 * models this small except start-up time.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUSIC_QUADRANTS, type MusicQuadrant } from '../shared/emotion.ts';
import { decodeWindow, TARGET_RATE, WINDOW_SECONDS } from '../electron/engine/music/decode-window.ts';
import { BASE_FEATURE_COUNT, BASE_FEATURE_NAMES, extractFeatures, FEATURE_NAMES, N_VIEWS, SEGMENT_SECONDS } from '../electron/engine/music/features.ts';
import { headLogits, softmax, type Head, type MusicModelFile } from '../electron/engine/music/model.ts';
import { rng } from '../electron/engine/ml/rng.ts';

export const REPO = path.resolve(import.meta.dirname, '..');
export const DATA_DIR = process.env.MUSIC_4Q_DIR ?? path.resolve(REPO, '../shared/data/music/4q-panda2018');
export const CACHE_DIR = path.join(REPO, '.cache', 'music');

export interface Clip {
  file: string;
  songId: string;
  quadrant: MusicQuadrant;
}

export interface Dataset {
  clips: Clip[];
  /** One row per clip, FEATURE_NAMES order. */
  X: Float32Array[];
  /** Index into MUSIC_QUADRANTS. */
  y: number[];
  names: readonly string[];
  /** Seconds spent extracting each clip (decode + features), when freshly extracted. */
  seconds: number[];
}

/** Minimal RFC 4180 reader: artist and title fields contain commas and quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Only file, song_id and quadrant are read: the other columns leak the label or identity. */
export function readLabels(dataDir = DATA_DIR): Clip[] {
  const [header, ...rows] = parseCsv(readFileSync(path.join(dataDir, 'labels.csv'), 'utf8'));
  if (!header) throw new Error('labels.csv is empty');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`labels.csv has no ${name} column`);
    return i;
  };
  const [iFile, iId, iQ] = [col('file'), col('song_id'), col('quadrant')];
  return rows
    .filter((r) => r.length === header.length)
    .map((r) => {
      const q = r[iQ]!;
      if (!(MUSIC_QUADRANTS as readonly string[]).includes(q)) throw new Error(`bad quadrant ${q}`);
      return { file: r[iFile]!, songId: r[iId]!, quadrant: q as MusicQuadrant };
    });
}

export async function loadDataset(log: (s: string) => void = console.log): Promise<Dataset> {
  const clips = readLabels();
  const key = createHash('sha1').update(FEATURE_NAMES.join(',')).update(clips.map((c) => c.file).join(',')).digest('hex').slice(0, 12);
  const cacheFile = path.join(CACHE_DIR, `features-${key}.json`);
  const y = clips.map((c) => MUSIC_QUADRANTS.indexOf(c.quadrant));
  if (existsSync(cacheFile)) {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as { X: number[][]; seconds: number[] };
    log(`features: cache hit ${path.relative(REPO, cacheFile)}`);
    return { clips, X: cached.X.map((r) => Float32Array.from(r)), y, names: FEATURE_NAMES, seconds: cached.seconds };
  }
  const X: Float32Array[] = [];
  const seconds: number[] = [];
  const t0 = performance.now();
  for (const [i, clip] of clips.entries()) {
    const t = performance.now();
    const w = await decodeWindow(path.join(DATA_DIR, clip.file));
    X.push(extractFeatures(w.samples, w.sampleRate));
    seconds.push((performance.now() - t) / 1000);
    if ((i + 1) % 50 === 0) log(`features: ${i + 1}/${clips.length} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(cacheFile, JSON.stringify({ names: FEATURE_NAMES, X: X.map((r) => Array.from(r)), seconds }));
  return { clips, X, y, names: FEATURE_NAMES, seconds };
}

// ---------------------------------------------------------------------------------------
// Cross-validation helpers

export const SEED = 20180101;
const K = MUSIC_QUADRANTS.length;


function shuffle<T>(a: T[], rand: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Fold number (0..k-1) for each sample; every class is dealt round-robin after a shuffle. */
export function stratifiedFolds(y: number[], k: number, seed: number): number[] {
  const rand = rng(seed);
  const fold = new Array<number>(y.length).fill(0);
  for (let c = 0; c < K; c++) {
    const idx = shuffle(
      y.flatMap((v, i) => (v === c ? [i] : [])),
      rand,
    );
    idx.forEach((i, j) => (fold[i] = j % k));
  }
  return fold;
}

// ---------------------------------------------------------------------------------------
// Candidate models

export type FeatureSet = 'all' | 'v1' | 'no-tonal' | 'no-rhythm';
/** Predicates on BASE_FEATURE_NAMES (one view). 'v1' is the 108 features of feature version 1. */
const V1_COUNT = 108;
const GROUPS: Record<FeatureSet, (name: string, index: number) => boolean> = {
  all: () => true,
  v1: (_, i) => i < V1_COUNT,
  'no-tonal': (n) => !/^(key_|chroma_|chord_|tonnetz|dissonance)/.test(n),
  'no-rhythm': (n) => !/^(tempo_|pulse_|onset_|beat_|metre_)/.test(n),
};

/** One ensemble member: a preprocessing + one learner. */
export interface MemberSpec {
  name: string;
  features: FeatureSet;
  log: boolean;
  model: 'linear' | 'mlp' | 'krr';
  /** L2 penalty (linear, mlp) or ridge λ (krr). */
  l2: number;
  hidden?: number;
  /** krr: γ = gammaScale / inputs. */
  gammaScale?: number;
  /**
   * 'whole': train and predict on the whole-window view only. 'segments': every view
   * (whole + N_SEGMENTS segments) is a training row with the clip's label, and a
   * prediction averages the probabilities of all views.
   */
  views: 'whole' | 'segments';
}

/** A candidate is a set of members whose probabilities are averaged. */
export type Choice = MemberSpec[];

export const describe = (c: Choice) => c.map((m) => m.name).join(' + ');

/**
 * The members. A candidate is a fixed set of members whose probabilities are averaged
 * (candidateSets); out-of-fold probabilities are computed once per member and split, so a
 * candidate costs nothing extra to score, and the nested CV re-makes the choice inside each
 * outer fold.
 */
export function memberGrid(): MemberSpec[] {
  return [
    // m0+m1 is the feature-version-1 recipe (linear+mlp(h=24) l2=0.03 on the 108 v1 features).
    { name: 'linear(v1,whole,l2=0.03)', features: 'v1', log: true, model: 'linear', l2: 0.03, views: 'whole' },
    { name: 'mlp24(v1,whole,l2=0.03)', features: 'v1', log: true, model: 'mlp', l2: 0.03, hidden: 24, views: 'whole' },
    { name: 'linear(all,whole,l2=0.03)', features: 'all', log: true, model: 'linear', l2: 0.03, views: 'whole' },
    { name: 'mlp24(all,whole,l2=0.03)', features: 'all', log: true, model: 'mlp', l2: 0.03, hidden: 24, views: 'whole' },
    { name: 'linear(v1,segments,l2=0.1)', features: 'v1', log: true, model: 'linear', l2: 0.1, views: 'segments' },
    { name: 'mlp24(all,segments,l2=0.03)', features: 'all', log: true, model: 'mlp', l2: 0.03, hidden: 24, views: 'segments' },
    { name: 'krr(all,whole,γ=0.5/d,λ=0.3)', features: 'all', log: true, model: 'krr', l2: 0.3, gammaScale: 0.5, views: 'whole' },
  ];
}

/**
 * The candidates, as member index lists: the previous recipe, the average of all members,
 * of the whole-window members, and of the segment members. A search over all 127 subsets
 * was tried first and over-fitted the inner CV (nested macro-F1 71.4 % while its flat
 * maximum was 73.1 %), so the candidates are a few fixed averages.
 */
export function candidateSets(): number[][] {
  return [
    [0, 1],
    [0, 1, 2, 3, 4, 5, 6],
    [0, 1, 2, 3, 6],
    [4, 5],
  ];
}

interface Prep {
  inputs: number[];
  logInputs: boolean[];
  mean: number[];
  std: number[];
  /** View offsets (multiples of BASE_FEATURE_COUNT) whose predictions are averaged. */
  views: number[];
}

const viewOffsets = (c: MemberSpec) => (c.views === 'whole' ? [0] : Array.from({ length: N_VIEWS }, (_, v) => v * BASE_FEATURE_COUNT));

/** Which columns, which to log-compress (non-negative and right-skewed), and scaling; fitted on training rows only. */
function fitPrep(X: Float32Array[], rows: number[], c: MemberSpec): Prep {
  const views = viewOffsets(c);
  const inputs = BASE_FEATURE_NAMES.flatMap((n, i) => (GROUPS[c.features](n, i) ? [i] : []));
  const column = (i: number) => rows.flatMap((r) => views.map((o) => X[r]![o + i]!));
  const logInputs = inputs.map((i) => {
    if (!c.log) return false;
    const col = column(i);
    const m = col.reduce((a, v) => a + v, 0) / col.length;
    const sd = Math.sqrt(col.reduce((a, v) => a + (v - m) ** 2, 0) / col.length) || 1;
    const skew = col.reduce((a, v) => a + ((v - m) / sd) ** 3, 0) / col.length;
    return Math.min(...col) >= 0 && skew > 1;
  });
  const mean: number[] = [];
  const std: number[] = [];
  inputs.forEach((i, j) => {
    const col = column(i).map((v) => transform(v, logInputs[j]!));
    const m = col.reduce((a, v) => a + v, 0) / col.length;
    mean.push(m);
    std.push(Math.sqrt(col.reduce((a, v) => a + (v - m) ** 2, 0) / col.length) || 1);
  });
  return { inputs, logInputs, mean, std, views };
}

const transform = (v: number, log: boolean) => (log ? Math.sign(v) * Math.log1p(Math.abs(v)) : v);

function applyPrep(p: Prep, x: Float32Array, offset: number): number[] {
  return p.inputs.map((i, j) => {
    const s = (transform(x[offset + i]!, p.logInputs[j]!) - p.mean[j]!) / p.std[j]!;
    return Number.isFinite(s) ? Math.max(-6, Math.min(6, s)) : 0;
  });
}

/** Adam on mean cross-entropy + l2/2·‖W‖² (biases unpenalised); `grad` fills the data gradient for step t. */
function adamFit(
  params: Float64Array[],
  penalised: boolean[],
  l2: number,
  iters: number,
  lr: number,
  grad: (g: Float64Array[], t: number) => void,
): void {
  const m = params.map((p) => new Float64Array(p.length));
  const v = params.map((p) => new Float64Array(p.length));
  const g = params.map((p) => new Float64Array(p.length));
  const [b1, b2] = [0.9, 0.999];
  for (let t = 1; t <= iters; t++) {
    for (const a of g) a.fill(0);
    grad(g, t);
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    params.forEach((p, k) => {
      const gk = g[k]!;
      const mk = m[k]!;
      const vk = v[k]!;
      for (let i = 0; i < p.length; i++) {
        const gi = gk[i]! + (penalised[k] ? l2 * p[i]! : 0);
        mk[i] = b1 * mk[i]! + (1 - b1) * gi;
        vk[i] = b2 * vk[i]! + (1 - b2) * gi * gi;
        p[i]! -= (lr * (mk[i]! / c1)) / (Math.sqrt(vk[i]! / c2) + 1e-8);
      }
    });
  }
}

function trainLinear(Z: number[][], y: number[], l2: number): Head {
  const d = Z[0]!.length;
  const W = new Float64Array(K * d);
  const b = new Float64Array(K);
  const n = Z.length;
  const logits = new Float64Array(K);
  adamFit([W, b], [true, false], l2, 300, 0.03, ([gW, gb]) => {
    for (let r = 0; r < n; r++) {
      const z = Z[r]!;
      for (let k = 0; k < K; k++) {
        let s = b[k]!;
        const o = k * d;
        for (let i = 0; i < d; i++) s += W[o + i]! * z[i]!;
        logits[k] = s;
      }
      const p = softmax(Array.from(logits));
      for (let k = 0; k < K; k++) {
        const e = (p[k]! - (y[r] === k ? 1 : 0)) / n;
        gb![k]! += e;
        const o = k * d;
        for (let i = 0; i < d; i++) gW![o + i]! += e * z[i]!;
      }
    }
  });
  return {
    type: 'linear',
    W: Array.from({ length: K }, (_, k) => Array.from(W.subarray(k * d, (k + 1) * d))),
    b: Array.from(b),
  };
}

/** Full batch (400 Adam steps) up to FULL_BATCH_MAX rows, else mini-batches of 128 for MLP_EPOCHS epochs. */
const FULL_BATCH_MAX = 1000;
const MLP_EPOCHS = 40;
function trainMlp(Z: number[][], y: number[], l2: number, hidden: number, seed: number): Head {
  const d = Z[0]!.length;
  const n = Z.length;
  const rand = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const W1 = Float64Array.from({ length: hidden * d }, () => gauss() / Math.sqrt(d));
  const b1 = new Float64Array(hidden);
  const W2 = Float64Array.from({ length: K * hidden }, () => gauss() / Math.sqrt(hidden));
  const b2 = new Float64Array(K);
  const h = new Float64Array(hidden);
  const dh = new Float64Array(hidden);
  const full = n <= FULL_BATCH_MAX;
  const batch = full ? n : 128;
  const perEpoch = Math.ceil(n / batch);
  const order = Array.from({ length: n }, (_, i) => i);
  const iters = full ? 400 : MLP_EPOCHS * perEpoch;
  const lr = full ? 0.01 : 0.003;
  adamFit([W1, b1, W2, b2], [true, false, true, false], l2, iters, lr, ([gW1, gb1, gW2, gb2], t) => {
    const step = (t - 1) % perEpoch;
    if (!full && step === 0) shuffle(order, rand);
    const lo = step * batch;
    const hi = Math.min(n, lo + batch);
    const m = hi - lo;
    for (let q = lo; q < hi; q++) {
      const r = order[q]!;
      const z = Z[r]!;
      for (let j = 0; j < hidden; j++) {
        let s = b1[j]!;
        const o = j * d;
        for (let i = 0; i < d; i++) s += W1[o + i]! * z[i]!;
        h[j] = Math.tanh(s);
      }
      const logits = Array.from({ length: K }, (_, k) => {
        let s = b2[k]!;
        for (let j = 0; j < hidden; j++) s += W2[k * hidden + j]! * h[j]!;
        return s;
      });
      const p = softmax(logits);
      dh.fill(0);
      for (let k = 0; k < K; k++) {
        const e = (p[k]! - (y[r] === k ? 1 : 0)) / m;
        gb2![k]! += e;
        for (let j = 0; j < hidden; j++) {
          gW2![k * hidden + j]! += e * h[j]!;
          dh[j]! += e * W2[k * hidden + j]!;
        }
      }
      for (let j = 0; j < hidden; j++) {
        const e = dh[j]! * (1 - h[j]! * h[j]!);
        gb1![j]! += e;
        const o = j * d;
        for (let i = 0; i < d; i++) gW1![o + i]! += e * z[i]!;
      }
    }
  });
  const rows = (a: Float64Array, r: number, c: number) => Array.from({ length: r }, (_, k) => Array.from(a.subarray(k * c, (k + 1) * c)));
  return { type: 'mlp', W1: rows(W1, hidden, d), b1: Array.from(b1), W2: rows(W2, K, hidden), b2: Array.from(b2) };
}

/** Kernel ridge regression, one-vs-rest targets (+1 / −1/3), RBF kernel; probabilities = softmax(KRR_SCALE · scores). */
const KRR_SCALE = 4;
function trainKrr(Z: number[][], y: number[], lambda: number, gammaScale: number): Head {
  const n = Z.length;
  const d = Z[0]!.length;
  const gamma = gammaScale / d;
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (Z[i]![t]! - Z[j]![t]!) ** 2;
      const v = Math.exp(-gamma * s);
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
    A[i * n + i]! += lambda;
  }
  // Cholesky in place (lower triangle).
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j]!;
    for (let k = 0; k < j; k++) s -= A[j * n + k]! ** 2;
    const l = Math.sqrt(s);
    A[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j]!;
      for (let k = 0; k < j; k++) t -= A[i * n + k]! * A[j * n + k]!;
      A[i * n + j] = t / l;
    }
  }
  const solve = (b: Float64Array) => {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = b[i]!;
      for (let k = 0; k < i; k++) s -= A[i * n + k]! * v[k]!;
      v[i] = s / A[i * n + i]!;
    }
    const x = new Float64Array(n);
    for (let i = n - 1; i >= 0; i--) {
      let s = v[i]!;
      for (let k = i + 1; k < n; k++) s -= A[k * n + i]! * x[k]!;
      x[i] = s / A[i * n + i]!;
    }
    return x;
  };
  const alpha = Array.from({ length: K }, (_, c) => Array.from(solve(Float64Array.from(y, (v) => (v === c ? 1 : -1 / (K - 1))))));
  return { type: 'rbf', gamma, scale: KRR_SCALE, support: Z.map((z) => [...z]), alpha };
}

export interface Fitted {
  prep: Prep;
  heads: Head[];
}

export function fitMember(X: Float32Array[], y: number[], rows: number[], c: MemberSpec, seed: number): Fitted {
  const prep = fitPrep(X, rows, c);
  const Z = rows.flatMap((r) => prep.views.map((o) => applyPrep(prep, X[r]!, o)));
  const yy = rows.flatMap((r) => prep.views.map(() => y[r]!));
  const head =
    c.model === 'linear' ? trainLinear(Z, yy, c.l2) : c.model === 'mlp' ? trainMlp(Z, yy, c.l2, c.hidden ?? 24, seed) : trainKrr(Z, yy, c.l2, c.gammaScale ?? 1);
  return { prep, heads: [head] };
}

/** Average over members of (average over views and heads). */
export function predictProbs(members: Fitted | Fitted[], x: Float32Array): number[] {
  const list = Array.isArray(members) ? members : [members];
  const avg = new Array<number>(K).fill(0);
  for (const m of list) {
    const w = 1 / (m.heads.length * m.prep.views.length * list.length);
    for (const o of m.prep.views) {
      const z = applyPrep(m.prep, x, o);
      for (const head of m.heads) softmax(headLogits(head, z)).forEach((p, k) => (avg[k]! += p * w));
    }
  }
  return avg;
}

/** Out-of-fold probabilities for one member. */
export function crossValProbs(X: Float32Array[], y: number[], rows: number[], c: MemberSpec, folds: number[], seed: number): number[][] {
  const out: number[][] = rows.map(() => []);
  const k = Math.max(...folds) + 1;
  for (let f = 0; f < k; f++) {
    const train = rows.filter((_, j) => folds[j] !== f);
    const model = fitMember(X, y, train, c, seed + f);
    rows.forEach((r, j) => {
      if (folds[j] === f) out[j] = predictProbs(model, X[r]!);
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Metrics

export interface Scores {
  macroF1: number;
  accuracy: number;
  perClass: Record<MusicQuadrant, { precision: number; recall: number; f1: number; support: number }>;
  /** confusion[true][predicted], MUSIC_QUADRANTS order */
  confusion: number[][];
  valenceSignAccuracy: number;
  arousalSignAccuracy: number;
}

const argmaxIdx = (p: number[]) => p.reduce((best, v, i) => (v > p[best]! ? i : best), 0);

export function score(yTrue: number[], probs: number[][]): Scores {
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let vOk = 0;
  let aOk = 0;
  yTrue.forEach((t, i) => {
    const p = probs[i]!;
    confusion[t]![argmaxIdx(p)]!++;
    const v = p[0]! + p[3]! - p[1]! - p[2]!;
    const a = p[0]! + p[1]! - p[2]! - p[3]!;
    if (v >= 0 === (t === 0 || t === 3)) vOk++;
    if (a >= 0 === (t === 0 || t === 1)) aOk++;
  });
  const perClass = {} as Scores['perClass'];
  MUSIC_QUADRANTS.forEach((q, k) => {
    const tp = confusion[k]![k]!;
    const support = confusion[k]!.reduce((a, v) => a + v, 0);
    const predicted = confusion.reduce((a, row) => a + row[k]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    perClass[q] = { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support };
  });
  const correct = confusion.reduce((a, row, k) => a + row[k]!, 0);
  return {
    macroF1: MUSIC_QUADRANTS.reduce((a, q) => a + perClass[q].f1, 0) / K,
    accuracy: correct / yTrue.length,
    perClass,
    confusion,
    valenceSignAccuracy: vOk / yTrue.length,
    arousalSignAccuracy: aOk / yTrue.length,
  };
}

/** Macro-F1 of each fold separately, for a spread. */
function foldF1s(y: number[], probs: number[][], folds: number[]): number[] {
  const k = Math.max(...folds) + 1;
  return Array.from({ length: k }, (_, f) => {
    const idx = folds.flatMap((v, i) => (v === f ? [i] : []));
    return score(
      idx.map((i) => y[i]!),
      idx.map((i) => probs[i]!),
    ).macroF1;
  });
}

const meanOf = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const sdOf = (a: number[]) => Math.sqrt(meanOf(a.map((v) => (v - meanOf(a)) ** 2)));
const pct = (v: number) => (100 * v).toFixed(1);

// ---------------------------------------------------------------------------------------
// Main

const MODEL_DIR = path.join(REPO, 'models', 'music');
const WINDOW_POLICY = `whole clip if ≤ ${WINDOW_SECONDS} s, else the ${WINDOW_SECONDS} s centred on the middle; mono, resampled to ${TARGET_RATE} Hz`;

interface Row {
  choice: string;
  meanF1: number;
  sdF1: number;
  macroF1: number;
  accuracy: number;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const data = await loadDataset();
  const { X, y, names } = data;
  const all = X.map((_, i) => i);
  const members = memberGrid();
  const subsets = candidateSets();
  const outerFolds = stratifiedFolds(y, 5, SEED);
  const avgProbs = (memberProbs: number[][][], subset: number[]) =>
    memberProbs[0]!.map((_, i) => Array.from({ length: K }, (_, k) => subset.reduce((a, m) => a + memberProbs[m]![i]![k]!, 0) / subset.length));
  const nameOf = (subset: number[]) => describe(subset.map((m) => members[m]!));

  // Flat 5-fold CV of every member on all 720 clips (same folds for all); subsets average them.
  console.log(`\n5-fold stratified CV, seed ${SEED}, ${members.length} members → ${subsets.length} candidate averages, ${names.length} features`);
  const memberOof: number[][][] = [];
  for (const m of members) {
    const t = performance.now();
    memberOof.push(crossValProbs(X, y, all, m, outerFolds, SEED));
    console.log(`  ${m.name.padEnd(34)} macro-F1 ${pct(score(y, memberOof.at(-1)!).macroF1)}  (${((performance.now() - t) / 1000).toFixed(0)} s)`);
  }
  const table: Row[] = subsets.map((sub) => {
    const probs = avgProbs(memberOof, sub);
    const s = score(y, probs);
    const f1s = foldF1s(y, probs, outerFolds);
    return { choice: nameOf(sub), meanF1: meanOf(f1s), sdF1: sdOf(f1s), macroF1: s.macroF1, accuracy: s.accuracy };
  });
  const bestIdx = table.reduce((b, r, i) => (r.macroF1 > table[b]!.macroF1 ? i : b), 0);
  const bestSubset = subsets[bestIdx]!;
  const best = bestSubset.map((m) => members[m]!);
  table.forEach((r) => console.log(`  candidate: ${r.choice}  macro-F1 ${pct(r.macroF1)} (folds ${pct(r.meanF1)} ± ${pct(r.sdF1)})`));
  const memberRows: Row[] = members.map((m, j) => {
    const s = score(y, memberOof[j]!);
    const f1s = foldF1s(y, memberOof[j]!, outerFolds);
    return { choice: `(member) ${m.name}`, meanF1: meanOf(f1s), sdF1: sdOf(f1s), macroF1: s.macroF1, accuracy: s.accuracy };
  });

  // Nested CV: the subset is re-chosen inside each outer training split.
  console.log('\nnested CV (outer 5 × inner 5):');
  const nestedProbs: number[][] = all.map(() => []);
  const picks: string[] = [];
  for (let f = 0; f < 5; f++) {
    const train = all.filter((i) => outerFolds[i] !== f);
    const yTrain = train.map((i) => y[i]!);
    const inner = stratifiedFolds(yTrain, 5, SEED + 1 + f);
    const innerOof = members.map((m) => crossValProbs(X, y, train, m, inner, SEED));
    let pick = subsets[0]!;
    let pickF1 = -1;
    for (const sub of subsets) {
      const s = score(yTrain, avgProbs(innerOof, sub)).macroF1;
      if (s > pickF1) [pick, pickF1] = [sub, s];
    }
    const fitted = pick.map((m) => fitMember(X, y, train, members[m]!, SEED + f));
    for (const i of all) if (outerFolds[i] === f) nestedProbs[i] = predictProbs(fitted, X[i]!);
    picks.push(nameOf(pick));
    console.log(`  outer fold ${f}: picked ${nameOf(pick)} (inner macro-F1 ${pct(pickF1)})`);
  }
  const nested = score(y, nestedProbs);
  const nestedFolds = foldF1s(y, nestedProbs, outerFolds);
  const flatBest = score(y, avgProbs(memberOof, bestSubset));
  const v1Idx = subsets.findIndex((sub) => sub.join(',') === '0,1');
  const v1Recipe = score(y, avgProbs(memberOof, subsets[v1Idx]!));

  console.log(`\nnested-CV macro-F1 ${pct(nested.macroF1)} (folds ${pct(meanOf(nestedFolds))} ± ${pct(sdOf(nestedFolds))}), accuracy ${pct(nested.accuracy)}`);
  console.log(`best flat-CV choice: ${describe(best)}: macro-F1 ${pct(flatBest.macroF1)} (optimistic: selected on these folds)`);
  console.log(`feature-version-1 recipe (m0+m1) on the same folds: macro-F1 ${pct(v1Recipe.macroF1)}`);
  printScores('nested CV', nested);

  // Final model: the flat-CV winner refit on all clips.
  const final = best.map((m) => fitMember(X, y, all, m, SEED));
  const trainScore = score(
    y,
    X.map((x) => predictProbs(final, x)),
  );
  const modelFile: MusicModelFile = {
    format: 'portrait-songs/music-emotion@2',
    classes: [...MUSIC_QUADRANTS],
    featureNames: [...names],
    members: final.map((m) => ({
      views: m.prep.views,
      inputs: m.prep.inputs,
      logInputs: m.prep.logInputs,
      mean: m.prep.mean.map(round6),
      std: m.prep.std.map(round6),
      heads: m.heads.map(roundHead),
    })),
    window: { seconds: WINDOW_SECONDS, sampleRate: TARGET_RATE, policy: WINDOW_POLICY },
  };
  const meanSec = data.seconds.length ? meanOf(data.seconds) : NaN;
  const metrics = {
    dataset: { name: '4Q Audio Emotion Dataset (Panda, Malheiro & Paiva 2018), 80 % shared part', clips: X.length, perClass: Object.fromEntries(MUSIC_QUADRANTS.map((q, k) => [q, y.filter((v) => v === k).length])) },
    seed: SEED,
    date: new Date().toISOString(),
    protocol: 'stratified 5-fold CV (flat: every candidate on the same folds); headline = nested CV (inner stratified 5-fold selection inside each outer training split)',
    chosen: describe(best),
    members: members.map((m, j) => ({ ...m, flatCV: score(y, memberOof[j]!) })),
    featureVersion1RecipeFlatCV: v1Recipe,
    nestedCV: { ...nested, foldMacroF1: nestedFolds, picks },
    flatCVOfChosen: flatBest,
    candidates: table,
    singleMembers: memberRows,
    trainingSetFit: { macroF1: trainScore.macroF1, accuracy: trainScore.accuracy, note: 'resubstitution, not an estimate of accuracy' },
    features: {
      count: names.length,
      names,
      members: final.map((m, j) => ({ member: best[j]!.name, views: m.prep.views.map((o) => o / BASE_FEATURE_COUNT), usedByModel: m.prep.inputs.map((i) => BASE_FEATURE_NAMES[i]) })),
    },
    extractionSecondsPerClip: Number.isFinite(meanSec) ? meanSec : null,
    trainingSeconds: (performance.now() - t0) / 1000,
  };
  mkdirSync(MODEL_DIR, { recursive: true });
  writeFileSync(path.join(MODEL_DIR, 'model.json'), JSON.stringify(modelFile));
  writeFileSync(path.join(MODEL_DIR, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  writeFileSync(path.join(MODEL_DIR, 'MODEL_CARD.md'), modelCard(metrics, [...table, ...memberRows], nested, best, names));
  console.log(`\nwrote ${path.relative(REPO, MODEL_DIR)}/{model.json,metrics.json,MODEL_CARD.md} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

function printScores(title: string, s: Scores): void {
  console.log(`\n${title}: per class`);
  console.log('  class  precision  recall    F1   support');
  for (const q of MUSIC_QUADRANTS) {
    const c = s.perClass[q];
    console.log(`  ${q}     ${pct(c.precision).padStart(6)}   ${pct(c.recall).padStart(6)}  ${pct(c.f1).padStart(5)}   ${c.support}`);
  }
  console.log('  confusion (rows true, columns predicted):');
  console.log(`        ${MUSIC_QUADRANTS.join('    ')}`);
  s.confusion.forEach((row, k) => console.log(`  ${MUSIC_QUADRANTS[k]}  ${row.map((v) => String(v).padStart(5)).join(' ')}`));
  console.log(`  valence-sign accuracy ${pct(s.valenceSignAccuracy)}, arousal-sign accuracy ${pct(s.arousalSignAccuracy)}`);
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
function roundHead(h: Head): Head {
  const r = (m: number[][]) => m.map((row) => row.map(round6));
  if (h.type === 'linear') return { type: 'linear', W: r(h.W), b: h.b.map(round6) };
  if (h.type === 'rbf') return { type: 'rbf', gamma: h.gamma, scale: h.scale, support: r(h.support), alpha: r(h.alpha) };
  return { type: 'mlp', W1: r(h.W1), b1: h.b1.map(round6), W2: r(h.W2), b2: h.b2.map(round6) };
}

function modelCard(metrics: { date: string; chosen: string; nestedCV: { foldMacroF1: number[]; picks: string[] }; extractionSecondsPerClip: number | null }, table: Row[], nested: Scores, best: Choice, names: readonly string[]): string {
  const pc = (q: MusicQuadrant) => nested.perClass[q];
  const lines = [
    '# Music emotion model (Russell quadrant + valence/arousal)',
    '',
    `Generated by \`node --import tsx scripts/train-music.ts\` on ${metrics.date.slice(0, 10)}. Do not edit by hand; edit the script and retrain.`,
    '',
    '## What it does',
    '',
    'Given a song file, `analyseSongFile` (electron/engine/music/model.ts) decodes a window of it, computes',
    `${BASE_FEATURE_COUNT} audio features for each of ${N_VIEWS} views of it (the whole window and ${N_VIEWS - 1} overlapping ${SEGMENT_SECONDS}-s segments, ${names.length} numbers)`,
    "and predicts the probabilities of Russell's four quadrants",
    '(Q1 happy/excited, Q2 angry/tense, Q3 sad/low, Q4 calm/relaxed). The valence/arousal point is the',
    'expectation of the quadrant signs: valence = P(Q1)+P(Q4)−P(Q2)−P(Q3), arousal = P(Q1)+P(Q2)−P(Q3)−P(Q4).',
    'It is not a regression on rated valence/arousal: the data has quadrant labels only.',
    '',
    '## Data',
    '',
    '4Q Audio Emotion Dataset (R. Panda, R. Malheiro, R. P. Paiva, "Novel audio features for music emotion',
    'recognition", IEEE Trans. Affective Computing, 2018): 720 of its 900 30-s AllMusic previews, 180 per',
    'quadrant, as mono 22.05 kHz Ogg Vorbis. Labels come from AllMusic mood tags. The other 180 clips are held',
    'out elsewhere and were not seen. Only the audio and the `quadrant` column are used; `pquad`, `moods_found`',
    '(the source of the label), `genres`, `artist` and `title` are never read.',
    '',
    '## Input window',
    '',
    `${WINDOW_POLICY}. The training clips are ≤ 30 s, so they are used whole; a long track in the app is`,
    'represented by its middle, the way a preview usually is. Only the bytes around the window are decoded',
    'for Ogg Vorbis/Opus, FLAC, MP3 and WAV; MP4/M4A and unknown formats are decoded whole and sliced.',
    '',
    '## Features',
    '',
    'See the header of electron/engine/music/features.ts for definitions (frames of 2048 samples, hop 1024,',
    'Meyda for the standard descriptors). Per view: RMS, ZCR, spectral centroid/spread/flatness/roll-off/slope/',
    'crest, loudness, sharpness and flux (mean, std); 13 MFCCs (mean, std, mean |Δ|); spectral contrast and',
    'valley in 7 octave bands; RMS-dB percentiles, std, low-energy ratio and crest factor; key/mode from',
    'Krumhansl–Kessler profiles over the view and over ~3-s blocks (mean/std of the mode, share of major blocks),',
    'key clarity, chroma entropy and change, tonic-relative mean chroma; per-frame major-vs-minor triad score;',
    'tonal centroid (Tonnetz) mean/std and change; Plomp–Levelt dissonance of the strongest spectral peaks;',
    'tempo, pulse clarity, onset rate, a 3-band beat histogram, metre strength and onset-envelope statistics.',
    `Views: the whole window (view 0) and ${N_VIEWS - 1} ${SEGMENT_SECONDS}-s segments spread evenly over it; frame descriptors`,
    'are computed once and each view aggregates its own frames.',
    '',
    'Used by the model: ' + best.map((m) => `${m.name}: ${BASE_FEATURE_NAMES.filter((n, i) => GROUPS[m.features](n, i)).length} features per view, ${m.views === 'whole' ? 'whole window only' : `${N_VIEWS} views averaged`}`).join('; ') + '.',
    '',
    '## Recipe',
    '',
    `Members (each a preprocessing + one learner): ${memberGrid().map((m) => m.name).join('; ')}. A candidate is a set`,
    "of them whose probabilities are averaged (linear(v1,whole)+mlp24(v1,whole) is the previous model's recipe).",
    'Candidates: that recipe and the averages of all members, of the whole-window members and of the segment',
    'members. A first run searched all 127 subsets instead; that over-fitted the inner CV (nested macro-F1 71.4 %,',
    'flat maximum 73.1 %), and these four fixed averages replaced it, a choice made after seeing that run, so the',
    `nested figure below is slightly optimistic. Chosen by flat stratified 5-fold CV (seed ${SEED}): **${metrics.chosen}**.`,
    'krr = kernel ridge regression with an RBF kernel on one-vs-rest targets (+1, −1/3), probabilities =',
    'softmax(4 · scores); its training rows are stored in model.json as support vectors.',
    'Preprocessing: right-skewed non-negative features get sign·log1p when "+log"; then z-scored with the',
    'training mean/std and clipped to ±6. "views=whole": one training row per clip (view 0), prediction on view 0.',
    '"views=segments": every view of a training clip is a row with the clip\'s label (6× rows), and a prediction',
    'averages the probabilities over all views of the window. Heads: softmax regression (full-batch Adam) and/or',
    '1-hidden-layer tanh MLPs (full-batch Adam up to 1000 rows, else mini-batches of 128 for 40 epochs), on',
    'cross-entropy + L2 (biases unpenalised).',
    'The final model is refit on all 720 clips.',
    '',
    '## Results (nested cross-validation: honest estimate)',
    '',
    'Before this version (feature version 1: 108 whole-window features, linear+mlp): nested-CV macro-F1 71.3 %, accuracy 71.4 %.',
    '',
    `Macro-F1 **${pct(nested.macroF1)} %**, accuracy ${pct(nested.accuracy)} %, per outer fold macro-F1: ${metrics.nestedCV.foldMacroF1.map(pct).join(', ')}.`,
    `Valence sign correct ${pct(nested.valenceSignAccuracy)} %, arousal sign correct ${pct(nested.arousalSignAccuracy)} %.`,
    '',
    '| class | precision | recall | F1 | support |',
    '|---|---|---|---|---|',
    ...MUSIC_QUADRANTS.map((q) => `| ${q} | ${pct(pc(q).precision)} | ${pct(pc(q).recall)} | ${pct(pc(q).f1)} | ${pc(q).support} |`),
    '',
    'Confusion (rows true, columns predicted):',
    '',
    `| | ${MUSIC_QUADRANTS.join(' | ')} |`,
    `|---|${MUSIC_QUADRANTS.map(() => '---').join('|')}|`,
    ...nested.confusion.map((row, k) => `| ${MUSIC_QUADRANTS[k]} | ${row.join(' | ')} |`),
    '',
    `Choices picked by the inner CV in the five outer folds: ${metrics.nestedCV.picks.join('; ')}.`,
    '',
    'Published anchors on the full 900-clip set (not directly comparable: different folds, 900 clips):',
    '76.4 % F1 with the authors\' handcrafted + novel features and an SVM, 80.2 % with an ensemble.',
    '',
    `### Candidates and single members (flat 5-fold CV; the maximum of this table is optimistically biased)`,
    '',
    '| choice | macro-F1 % | fold mean ± sd | accuracy % |',
    '|---|---|---|---|',
    ...table.map(
      (r) => `| ${r.choice} | ${pct(r.macroF1)} | ${pct(r.meanF1)} ± ${pct(r.sdF1)} | ${pct(r.accuracy)} |`,
    ),
    '',
    '## Limits',
    '',
    '- 720 clips of mostly Western popular music (AllMusic previews); labels are derived from mood tags, not',
    '  listener ratings, and Q3/Q4 (low arousal) are the hardest to separate: valence is weakly coded in audio.',
    '- Scores are cross-validated on the same 720 clips; the held-out 180 clips have not been used.',
    '- Game music, classical and ambient tracks in the app library are out of the training distribution.',
    '- A long track is judged on 30 s from its middle; songs that change mood are summarised by that part.',
    `- Feature extraction costs about ${metrics.extractionSecondsPerClip?.toFixed(2) ?? '?'} s per 30-s clip on one core (decode + features, measured during training).`,
    '',
    '## Licence',
    '',
    'The 4Q dataset has no stated licence; its audio is commercial previews distributed for music-emotion',
    'research. It is used here for internal training and evaluation only, and no audio is shipped. The weights',
    'in model.json are ours (project licence).',
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
