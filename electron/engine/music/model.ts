/**
 * Song-emotion model: committed weights (models/music/model.json) + pure-JS inference.
 *
 * The classifier is an average of small heads (softmax regressions and/or one-hidden-layer
 * MLPs) over standardised features; training/music/train-music.ts chose it by cross-validation and
 * documents it in models/music/MODEL_CARD.md. The feature vector holds several "views" of
 * the window (the whole window and overlapping segments, features.ts); the heads are applied
 * to each view listed in `views` and the probabilities are averaged. Inference is a few
 * tens of thousands of multiply-adds, so no tfjs here.
 *
 * Valence/arousal: the 4Q data has quadrant labels only (no continuous ratings), so the
 * point is the expectation of the quadrant signs under the predicted distribution:
 *   valence = P(Q1) + P(Q4) − P(Q2) − P(Q3),  arousal = P(Q1) + P(Q2) − P(Q3) − P(Q4).
 * Both lie in [-1, 1] and an uncertain song lands near the centre rather than on a
 * quadrant's corner. The expectation can fall in another quadrant than the most probable
 * one (P = .1/.3/.28/.32 gives Q4 with negative valence), and the app shows the quadrant
 * and the point together, so a coordinate on the wrong side of its axis is moved just
 * across it (to ±AXIS_MARGIN): the point then says "Q4, but only just".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MUSIC_QUADRANTS, argmax, clamp1, type MusicQuadrant } from '../../../shared/emotion.ts';
import type { SongEmotion } from '../types.ts';
import { extractFeatures, FEATURE_NAMES, FEATURE_VERSION } from './features.ts';
import { modelsDir } from '../models-dir.ts';
import { MUSICNN_NETS, type MusicnnNet } from './musicnn.ts';
import { MUSICNN_FEATURE_NAMES, NET_WIDTH } from './song-readings.ts';

export const DEFAULT_MODEL_PATH = path.join(modelsDir(), 'music', 'model.json');

export interface LinearHead {
  type: 'linear';
  /** classes × inputs */
  W: number[][];
  b: number[];
}

export interface MlpHead {
  type: 'mlp';
  /** hidden × inputs */
  W1: number[][];
  b1: number[];
  /** classes × hidden */
  W2: number[][];
  b2: number[];
}

/** Kernel ridge regression on one-vs-rest targets with an RBF kernel; logits = scale · scores. */
export interface RbfHead {
  type: 'rbf';
  gamma: number;
  scale: number;
  /** training rows (standardised inputs) */
  support: number[][];
  /** classes × support */
  alpha: number[][];
}

export type Head = LinearHead | MlpHead | RbfHead;

/** One standardisation + the heads that read it; the model averages its members' probabilities. */
export interface MusicModelMember {
  /** Offsets into the full vector of the views whose predictions are averaged ([0] = whole window only). */
  views: number[];
  /** Indices (relative to a view's offset) that the heads read, in order. */
  inputs: number[];
  /** Per input: apply sign(x)·log1p(|x|) before standardising. */
  logInputs: boolean[];
  mean: number[];
  std: number[];
  heads: Head[];
}

export interface MusicModelFile {
  format: 'portrait-songs/music-emotion@2';
  classes: MusicQuadrant[];
  /** Names of the full feature vector the model was trained against (features.ts). */
  featureNames: string[];
  /** features.ts FEATURE_VERSION the model was trained on; absent = 2 (before loudness normalisation). */
  featureVersion?: number;
  /** Calibration: averaged probabilities p become p^(1/T), renormalised; absent = 1. */
  temperature?: number;
  members: MusicModelMember[];
  window: { seconds: number; sampleRate: number; policy: string };
}

export class MusicModel {
  /** Whether any member reads the handcrafted features (features.ts); a model on musicnn alone skips them. */
  readonly readsHandcrafted: boolean;
  /** The musicnn networks whose columns some member reads (song-readings.ts's layout). */
  readonly musicnnNets: MusicnnNet[];

  constructor(readonly file: MusicModelFile) {
    const names = file.featureNames.join(',');
    if (names !== FEATURE_NAMES.join(',') && names !== [...FEATURE_NAMES, ...MUSICNN_FEATURE_NAMES].join(',')) {
      throw new Error('models/music/model.json was trained on different features than features.ts and song-readings.ts compute; retrain');
    }
    if ((file.featureVersion ?? 2) !== FEATURE_VERSION) {
      throw new Error(`models/music/model.json was trained on feature version ${file.featureVersion ?? 2}, features.ts computes version ${FEATURE_VERSION}; retrain`);
    }
    if (file.temperature !== undefined && !(file.temperature > 0)) throw new Error('music model temperature must be positive');
    if (file.classes.join(',') !== MUSIC_QUADRANTS.join(',')) throw new Error('unexpected class order in music model');
    if (!Array.isArray(file.members) || !file.members.length || file.members.some((m) => !m.views.length || !m.heads.length)) {
      throw new Error('music model has no members, views or heads; retrain');
    }
    const read = new Set(file.members.flatMap((m) => m.views.flatMap((o) => m.inputs.map((i) => o + i))));
    const hand = FEATURE_NAMES.length;
    this.readsHandcrafted = [...read].some((i) => i < hand);
    this.musicnnNets = MUSICNN_NETS.filter((_, k) => [...read].some((i) => i >= hand + k * NET_WIDTH && i < hand + (k + 1) * NET_WIDTH));
  }

  /** Length of the vector probabilities() reads: the handcrafted features, then the musicnn row when the model reads one. */
  get width(): number {
    return this.file.featureNames.length;
  }

  static load(modelPath = DEFAULT_MODEL_PATH): MusicModel {
    return new MusicModel(JSON.parse(readFileSync(modelPath, 'utf8')) as MusicModelFile);
  }

  /** Quadrant probabilities (MUSIC_QUADRANTS order) for one full feature vector. */
  probabilities(features: ArrayLike<number>): number[] {
    const avg = new Array<number>(MUSIC_QUADRANTS.length).fill(0);
    for (const member of this.file.members) {
      const p = memberProbabilities(member, features);
      for (let k = 0; k < avg.length; k++) avg[k]! += p[k]! / this.file.members.length;
    }
    const t = this.file.temperature ?? 1;
    return t === 1 ? avg : softmax(avg.map((v) => Math.log(Math.max(v, 1e-12)) / t));
  }

  predict(features: ArrayLike<number>): SongEmotion {
    return emotionFromProbs(this.probabilities(features));
  }
}

/** Quadrant probabilities (MUSIC_QUADRANTS order) → the song's emotion: its quadrant and a point that agrees with it. */
export function emotionFromProbs(p: readonly number[]): SongEmotion {
  const probs = Object.fromEntries(MUSIC_QUADRANTS.map((q, k) => [q, p[k]!])) as Record<MusicQuadrant, number>;
  const quadrant = argmax(probs);
  return { quadrant, probs, ...vaFromQuadrantProbs(probs, quadrant) };
}

/** One member's probabilities: its heads averaged over its views. */
export function memberProbabilities(member: MusicModelMember, features: ArrayLike<number>): number[] {
  const { views, inputs, logInputs, mean, std, heads } = member;
  const avg = new Array<number>(MUSIC_QUADRANTS.length).fill(0);
  const w = 1 / (heads.length * views.length);
  for (const offset of views) {
    const z = inputs.map((idx, j) => {
      let v = features[offset + idx] ?? 0;
      if (logInputs[j]) v = Math.sign(v) * Math.log1p(Math.abs(v));
      const s = (v - mean[j]!) / std[j]!;
      // Clip so that one wild feature on an odd file cannot dominate the logits.
      return Number.isFinite(s) ? Math.max(-6, Math.min(6, s)) : 0;
    });
    for (const head of heads) {
      const p = softmax(headLogits(head, z));
      for (let k = 0; k < avg.length; k++) avg[k]! += p[k]! * w;
    }
  }
  return avg;
}

/** How far across an axis a coordinate is put when the expectation lies on the wrong side of it. */
export const AXIS_MARGIN = 0.02;

/**
 * The song's point: the expectation of the quadrant signs, kept on `quadrant`'s side of
 * both axes (the most probable quadrant, argmax(p), when not given).
 */
export function vaFromQuadrantProbs(p: Record<MusicQuadrant, number>, quadrant: MusicQuadrant = argmax(p)): { valence: number; arousal: number } {
  const sv = quadrant === 'Q1' || quadrant === 'Q4' ? 1 : -1;
  const sa = quadrant === 'Q1' || quadrant === 'Q2' ? 1 : -1;
  const onSide = (x: number, s: number) => (s * x > 0 ? x : s * AXIS_MARGIN);
  return {
    valence: onSide(clamp1(p.Q1 + p.Q4 - p.Q2 - p.Q3), sv),
    arousal: onSide(clamp1(p.Q1 + p.Q2 - p.Q3 - p.Q4), sa),
  };
}

export function headLogits(head: Head, z: number[]): number[] {
  if (head.type === 'linear') return head.W.map((w, k) => dot(w, z) + head.b[k]!);
  if (head.type === 'rbf') {
    const kv = head.support.map((s) => {
      let d = 0;
      for (let i = 0; i < s.length; i++) d += (s[i]! - z[i]!) ** 2;
      return Math.exp(-head.gamma * d);
    });
    return head.alpha.map((a) => head.scale * dot(a, kv));
  }
  const h = head.W1.map((w, j) => Math.tanh(dot(w, z) + head.b1[j]!));
  return head.W2.map((w, k) => dot(w, h) + head.b2[k]!);
}

function dot(w: number[], x: number[]): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]! * x[i]!;
  return s;
}

export function softmax(logits: number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - m));
  const s = e.reduce((a, v) => a + v, 0);
  return e.map((v) => v / s);
}

let cached: MusicModel | undefined;

/** The committed model, loaded once per process. */
export function defaultMusicModel(): MusicModel {
  cached ??= MusicModel.load();
  return cached;
}
