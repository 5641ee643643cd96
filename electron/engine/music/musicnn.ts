/**
 * The pretrained musicnn networks (models/music/musicnn/, ISC, converted from PyPI `musicnn` 0.1.0 by
 * training/music/musicnn/convert-musicnn.py) on ONNX Runtime: log-mel patches in, per patch the
 * 50 tag probabilities and the 200-d penultimate layer out. MTT was trained on MagnaTagATune,
 * MSD on Million Song Dataset previews (manifest.json names both, with each graph's sha256).
 *
 * One session per network per thread with one intra-op thread: the indexing pool already runs
 * one worker per core. The execution provider is the process's (ml/execution-provider.ts): the
 * graphics card where one works, else the CPU.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { loadOrt } from '../ml/onnx-runtime.ts';
import { onnxExecutionProvider, providerSessionOptions } from '../ml/execution-provider.ts';
import { modelsDir } from '../models-dir.ts';
import { MUSICNN_BANDS, PATCH_FRAMES } from './musicnn-frontend.ts';

export const MUSICNN_DIR = path.join(modelsDir(), 'music', 'musicnn');
export const MUSICNN_NETS = ['mtt', 'msd'] as const;
export type MusicnnNet = (typeof MUSICNN_NETS)[number];
export const TAGS = 50;
export const PENULTIMATE = 200;

export interface MusicnnManifest {
  format: 'portrait-songs/musicnn@1';
  models: Record<MusicnnNet, { onnx: string; sha256: string; tags: string[] }>;
}

/** Per patch, row-major: taggram [n × TAGS], penultimate [n × PENULTIMATE]. */
export interface PatchReadings {
  n: number;
  taggram: Float32Array;
  penultimate: Float32Array;
}

export function readManifest(dir = MUSICNN_DIR): MusicnnManifest {
  const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as MusicnnManifest;
  if (m.format !== 'portrait-songs/musicnn@1') throw new Error(`${dir}/manifest.json: unknown format ${String(m.format)}`);
  for (const net of MUSICNN_NETS) if (!m.models?.[net]?.onnx || m.models[net].tags?.length !== TAGS) throw new Error(`${dir}/manifest.json: no usable entry for ${net}`);
  return m;
}

export class Musicnn {
  private constructor(
    private readonly ort: typeof Ort,
    private readonly sessions: Map<MusicnnNet, Ort.InferenceSession>,
  ) {}

  /** Loads the listed networks, checking each graph's bytes against the manifest's sha256. */
  static async load(nets: readonly MusicnnNet[], dir = MUSICNN_DIR): Promise<Musicnn> {
    const manifest = readManifest(dir);
    const ort = loadOrt();
    const provider = await onnxExecutionProvider(loadOrt);
    const sessions = new Map<MusicnnNet, Ort.InferenceSession>();
    for (const net of nets) {
      const entry = manifest.models[net];
      // Bytes rather than a path: Node's fs reads through an asar archive, the native library would not.
      const bytes = fs.readFileSync(path.join(dir, entry.onnx));
      if (crypto.createHash('sha256').update(bytes).digest('hex') !== entry.sha256) throw new Error(`${entry.onnx} does not match its sha256 in manifest.json`);
      sessions.set(
        net,
        await ort.InferenceSession.create(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
          ...providerSessionOptions(provider.name),
          graphOptimizationLevel: 'all',
          intraOpNumThreads: 1,
          interOpNumThreads: 1,
          executionMode: 'sequential',
        }),
      );
    }
    return new Musicnn(ort, sessions);
  }

  get nets(): MusicnnNet[] {
    return [...this.sessions.keys()];
  }

  /**
   * Runs one network on n patches laid out [n, PATCH_FRAMES, MUSICNN_BANDS], one patch a run.
   * Measured (two networks, one thread, ONNX Runtime's CPU arena on): ten patches in one run
   * left the thread at 1,015 MB resident, since the arena keeps the largest activations it ever
   * held; one patch a run peaks at 233 MB and is no slower (62 against 69 ms a patch). Two song
   * workers at ten patches each were the engine's 1.8 GB peak while indexing.
   */
  async read(net: MusicnnNet, batch: Float32Array, n: number): Promise<PatchReadings> {
    const session = this.sessions.get(net);
    if (!session) throw new Error(`musicnn ${net} is not loaded`);
    const size = PATCH_FRAMES * MUSICNN_BANDS;
    if (batch.length < n * size) throw new Error(`musicnn ${net}: ${batch.length} values hold fewer than ${n} patches`);
    const taggram = new Float32Array(n * TAGS);
    const penultimate = new Float32Array(n * PENULTIMATE);
    for (let p = 0; p < n; p++) {
      const patch = batch.subarray(p * size, (p + 1) * size);
      const out = await session.run({ mel: new this.ort.Tensor('float32', patch, [1, PATCH_FRAMES, MUSICNN_BANDS]) }, ['taggram', 'penultimate']);
      const t = out.taggram?.data;
      const u = out.penultimate?.data;
      if (!(t instanceof Float32Array) || t.length !== TAGS || !(u instanceof Float32Array) || u.length !== PENULTIMATE) {
        throw new Error(`musicnn ${net} gave no usable output`);
      }
      taggram.set(t, p * TAGS);
      penultimate.set(u, p * PENULTIMATE);
    }
    return { n, taggram, penultimate };
  }

  async release(): Promise<void> {
    for (const s of this.sessions.values()) await s.release();
  }
}
