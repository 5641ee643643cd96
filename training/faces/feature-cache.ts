/**
 * Frozen-feature extraction over FER-2013, cached on disk so a rerun of the training recipe
 * costs seconds instead of the better part of an hour on one core. One file per
 * (extractor, view): raw float32 rows in the order of the view's index list, appended in
 * chunks, so an interrupted run resumes where it stopped.
 *
 * Views: `orig` and `flip` cover every face (flip doubles as training augmentation and as
 * test-time augmentation); `augK` covers the Training split only, each face warped by a
 * random rotation/zoom/shift/flip seeded by (K, index).
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { FACE_API_FEATURES, faceApiFeatures } from '../../electron/engine/classify/face-api-features.ts';
import { ferImage, splitIndices, type FerData } from './fer-data.ts';
import { flipGrey, greyFromBytes, type GreyImage } from '../../electron/engine/classify/grey-image.ts';
import { randomAffine, warpGrey } from './augment.ts';
import { rng } from '../../electron/engine/ml/rng.ts';
import { MX_FEATURES, miniXceptionFeatures } from '../../electron/engine/classify/mini-xception.ts';

export type ViewName = 'orig' | 'flip' | `aug${number}`;

export const EXTRACTORS = { faceapi: FACE_API_FEATURES, mx: MX_FEATURES } as const;
export type ExtractorName = keyof typeof EXTRACTORS;

export function viewIndices(data: FerData, view: ViewName): number[] {
  if (view === 'orig' || view === 'flip') return Array.from({ length: data.count }, (_, i) => i);
  return splitIndices(data, 'Training');
}

export function viewFace(data: FerData, view: ViewName, index: number): GreyImage {
  const face = greyFromBytes(ferImage(data, index));
  if (view === 'orig') return face;
  if (view === 'flip') return flipGrey(face);
  const k = Number(view.slice(3));
  return warpGrey(face, randomAffine(rng(k * 1_000_003 + index)));
}

function cacheFile(cacheDir: string, extractor: ExtractorName, view: ViewName): string {
  return path.join(cacheDir, `${extractor}-${view}.f32`);
}

function rowsDone(file: string, dim: number): number {
  if (!fs.existsSync(file)) return 0;
  return Math.floor(fs.statSync(file).size / (4 * dim));
}

export interface ExtractOptions {
  cacheDir: string;
  miniXception: tf.GraphModel;
  batch?: number;
  log?: (msg: string) => void;
}

/** Extracts (or finishes extracting) both feature sets for a view. */
export async function extractView(data: FerData, view: ViewName, opts: ExtractOptions): Promise<void> {
  fs.mkdirSync(opts.cacheDir, { recursive: true });
  const indices = viewIndices(data, view);
  const files = { faceapi: cacheFile(opts.cacheDir, 'faceapi', view), mx: cacheFile(opts.cacheDir, 'mx', view) };
  // Both files advance together; trim to the shorter one in case a run died between writes.
  const start = Math.min(rowsDone(files.faceapi, EXTRACTORS.faceapi), rowsDone(files.mx, EXTRACTORS.mx));
  for (const name of ['faceapi', 'mx'] as const) {
    if (fs.existsSync(files[name])) fs.truncateSync(files[name], start * 4 * EXTRACTORS[name]);
  }
  if (start >= indices.length) return;
  const batch = opts.batch ?? 128;
  const t0 = Date.now();
  for (let s = start; s < indices.length; s += batch) {
    const faces = indices.slice(s, s + batch).map((i) => viewFace(data, view, i));
    const fa = await faceApiFeatures(faces);
    const mx = await miniXceptionFeatures(opts.miniXception, faces);
    fs.appendFileSync(files.faceapi, new Uint8Array(fa.buffer, fa.byteOffset, fa.byteLength));
    fs.appendFileSync(files.mx, new Uint8Array(mx.buffer, mx.byteOffset, mx.byteLength));
    const done = Math.min(indices.length, s + batch);
    if (opts.log && (done - start) % (batch * 40) < batch) {
      const rate = (Date.now() - t0) / (done - start);
      opts.log(`${view}: ${done}/${indices.length} (${rate.toFixed(1)} ms/face, ~${(((indices.length - done) * rate) / 60000).toFixed(1)} min left)`);
    }
  }
  recordTiming(opts.cacheDir, view, indices.length - start, (Date.now() - t0) / 1000);
}

/** Keeps how long extraction took, so the training report can state it after cached reruns. */
function recordTiming(cacheDir: string, view: ViewName, faces: number, seconds: number): void {
  const file = path.join(cacheDir, 'timing.json');
  const timing = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  timing[view] = { faces, seconds: Math.round(seconds), msPerFace: Math.round((seconds * 1000 * 10) / Math.max(1, faces)) / 10 };
  fs.writeFileSync(file, JSON.stringify(timing, null, 1));
}

export function hasView(data: FerData, view: ViewName, cacheDir: string): boolean {
  const n = viewIndices(data, view).length;
  return (['faceapi', 'mx'] as const).every((e) => rowsDone(cacheFile(cacheDir, e, view), EXTRACTORS[e]) >= n);
}

/** A cached feature matrix for a view: rows in viewIndices order. */
export function readView(data: FerData, view: ViewName, extractor: ExtractorName, cacheDir: string): Float32Array {
  const n = viewIndices(data, view).length;
  const dim = EXTRACTORS[extractor];
  const buf = fs.readFileSync(cacheFile(cacheDir, extractor, view));
  if (buf.byteLength < n * dim * 4) throw new Error(`feature cache ${extractor}-${view} is incomplete`);
  const copy = new Float32Array(n * dim);
  copy.set(new Float32Array(buf.buffer, buf.byteOffset, n * dim));
  return copy;
}
