/**
 * The song CNN (models/music/cnn.onnx, trained by training/music/train-music-cnn.py on log-mel
 * patches, log-mel.ts) on ONNX Runtime, and its ensemble with the handcrafted model.
 *
 * The CNN reads the window as non-overlapping ≈3-s patches and its softmax is averaged over
 * them; the song's probabilities are then (1 − w)·handcrafted + w·CNN, calibrated by a
 * temperature, w and T being the medians of the choices the nested artist-grouped CV made
 * (models/music/cnn.json, MODEL_CARD.md). Where ONNX Runtime does not load, the files are
 * missing, or PORTRAIT_SONGS_MUSIC_CNN=off, songs get the handcrafted model alone; the
 * analyser id (model-id.ts) says which, so a catalog re-indexes when that changes.
 *
 * One session per thread with one intra-op thread: the indexing pool already runs one
 * worker per core.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { loadOrt } from '../ml/onnx-runtime.ts';
import { modelsDir } from '../models-dir.ts';
import { LOG_MEL_VERSION, MEL_BANDS, PATCH_FRAMES, PATCH_HOP, logMel, patchBatch, patchStarts } from './log-mel.ts';
import { softmax } from './model.ts';

export const CNN_JSON_PATH = path.join(modelsDir(), 'music', 'cnn.json');

export interface SongCnnFile {
  format: 'portrait-songs/music-cnn@1';
  /** The ONNX graph, relative to cnn.json. */
  onnx: string;
  sha256: string;
  logMelVersion: number;
  bands: number;
  patchFrames: number;
  patchHop: number;
  /** Share of the CNN in the ensemble. */
  weight: number;
  /** Calibration of the ensemble: p^(1/T), renormalised. */
  temperature: number;
  epoch: number;
  /** The graph's logits for a fixed input (x[i] = −6 + 3 sin(0.37 i), 2 patches), from torch. */
  reference: { input: string; logits: number[][] };
}

/** Reads and checks cnn.json against the log-mel code this build computes. */
export function readSongCnnFile(file = CNN_JSON_PATH): SongCnnFile {
  const f = JSON.parse(fs.readFileSync(file, 'utf8')) as SongCnnFile;
  if (f.format !== 'portrait-songs/music-cnn@1') throw new Error(`${file}: unknown format ${String(f.format)}`);
  if (f.logMelVersion !== LOG_MEL_VERSION || f.bands !== MEL_BANDS || f.patchFrames !== PATCH_FRAMES || f.patchHop !== PATCH_HOP) {
    throw new Error(`${file} was trained on other log-mel settings than log-mel.ts computes; retrain (npm run train:music-cnn)`);
  }
  if (!(f.weight >= 0 && f.weight <= 1) || !(f.temperature > 0)) throw new Error(`${file}: bad ensemble weight or temperature`);
  return f;
}

export class SongCnn {
  private constructor(
    readonly file: SongCnnFile,
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
  ) {}

  static async load(jsonPath = CNN_JSON_PATH): Promise<SongCnn> {
    const file = readSongCnnFile(jsonPath);
    const ort = loadOrt();
    // Bytes rather than a path: Node's fs reads through an asar archive, the native library would not.
    const bytes = fs.readFileSync(path.join(path.dirname(jsonPath), file.onnx));
    const session = await ort.InferenceSession.create(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
    });
    return new SongCnn(file, ort, session);
  }

  /** Logits [n × 4] for n patches laid out [n, 1, MEL_BANDS, PATCH_FRAMES]. */
  async logits(batch: Float32Array, n: number): Promise<Float32Array> {
    const out = await this.session.run({ mel: new this.ort.Tensor('float32', batch, [n, 1, MEL_BANDS, PATCH_FRAMES]) });
    const data = out.logits?.data;
    if (!(data instanceof Float32Array) || data.length !== n * 4) throw new Error('the song CNN gave no usable output');
    return data;
  }

  /** Quadrant probabilities of a window of mono samples: the softmax averaged over its patches. */
  async probabilities(samples: Float32Array, sampleRate: number, options: { normalised?: boolean } = {}): Promise<number[]> {
    const mel = logMel(samples, sampleRate, options);
    const starts = patchStarts(mel.frames);
    const logits = await this.logits(patchBatch(mel, starts), starts.length);
    const avg = [0, 0, 0, 0];
    for (let p = 0; p < starts.length; p++) {
      const s = softmax(Array.from(logits.subarray(p * 4, p * 4 + 4)));
      for (let k = 0; k < 4; k++) avg[k]! += s[k]! / starts.length;
    }
    return avg;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** (1 − w)·handcrafted + w·CNN, then p^(1/T), renormalised. */
export function ensembleProbs(hand: readonly number[], cnn: readonly number[], weight: number, temperature: number): number[] {
  const mixed = hand.map((h, k) => (1 - weight) * h + weight * cnn[k]!);
  return softmax(mixed.map((v) => Math.log(Math.max(v, 1e-12)) / temperature));
}

let chosen: Promise<SongCnn | null> | null = null;
let skipped: string | null = null;

/**
 * The CNN, loaded once per thread and checked on one patch; null (handcrafted model alone)
 * when PORTRAIT_SONGS_MUSIC_CNN=off, cnn.json is missing, or ONNX Runtime cannot run it.
 */
export function songCnn(): Promise<SongCnn | null> {
  chosen ??= (async () => {
    if (process.env.PORTRAIT_SONGS_MUSIC_CNN === 'off') {
      skipped = 'turned off by PORTRAIT_SONGS_MUSIC_CNN=off';
      return null;
    }
    if (!fs.existsSync(CNN_JSON_PATH)) {
      skipped = `${CNN_JSON_PATH} is missing`;
      return null;
    }
    try {
      const cnn = await SongCnn.load();
      const probe = await cnn.logits(new Float32Array(MEL_BANDS * PATCH_FRAMES).fill(-8), 1);
      if (!probe.every(Number.isFinite)) throw new Error('the song CNN gives non-finite logits');
      return cnn;
    } catch (err) {
      skipped = `the song CNN could not run: ${(err as Error).message}`;
      console.warn(`${skipped}; songs get the handcrafted model alone`);
      return null;
    }
  })();
  return chosen;
}

/** Why songCnn() gave null, once it has. */
export function songCnnSkipReason(): string | null {
  return skipped;
}
