/**
 * Which runtime runs the face models: onnxruntime-node where it loads (N-API; CPU binaries
 * ship inside the package), else TensorFlow.js (backend.ts), which stays the reference the
 * ONNX graphs are tested against. Chosen once per process:
 *
 * - PORTRAIT_SONGS_FACE_RUNTIME=onnx|tfjs forces one (a forced runtime that fails is an error);
 * - the execution provider (a GPU one where it is present and gives the CPU's answer, else the
 *   CPU; PORTRAIT_SONGS_ONNX_EP forces a list) is chosen by execution-provider.ts.
 *
 * Each analysis worker runs one session per model with one intra-op thread: the pool already
 * has one worker per core, and more threads per worker only fight over the same cores.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';
import { onnxModelPath, onnxModelsDigest, type OnnxModel } from './onnx-models.ts';
import { onnxExecutionProvider, providerSessionOptions, type OnnxProviderInfo } from './execution-provider.ts';

const require = createRequire(import.meta.url);

export const FACE_RUNTIMES = ['onnx', 'tfjs'] as const;
export type FaceRuntimeName = (typeof FACE_RUNTIMES)[number];

export interface FaceRuntimeInfo {
  name: FaceRuntimeName;
  /** Set when name is 'onnx': the execution providers sessions are given, in order, and the package version. */
  executionProviders: string[] | null;
  /** Set when name is 'onnx': the provider chosen, and those passed over with why. */
  executionProvider: OnnxProviderInfo | null;
  onnxruntimeVersion: string | null;
  /** Digest of the ONNX files (part of the analyser id). */
  modelsDigest: string | null;
  forced: boolean;
  /** Why ONNX Runtime was passed over, when it was. */
  skipped: string | null;
}

let ort: typeof Ort | null = null;
let chosen: Promise<FaceRuntimeInfo> | null = null;

function parseForced(value = process.env.PORTRAIT_SONGS_FACE_RUNTIME): FaceRuntimeName | null {
  if (!value) return null;
  if ((FACE_RUNTIMES as readonly string[]).includes(value)) return value as FaceRuntimeName;
  throw new Error(`PORTRAIT_SONGS_FACE_RUNTIME must be one of ${FACE_RUNTIMES.join(', ')}; got "${value}"`);
}

export function loadOrt(): typeof Ort {
  ort ??= require('onnxruntime-node') as typeof Ort;
  return ort;
}

function ortVersion(): string {
  try {
    return (require('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const sessions = new Map<OnnxModel, Promise<Ort.InferenceSession>>();

export function onnxSession(model: OnnxModel): Promise<Ort.InferenceSession> {
  let s = sessions.get(model);
  if (!s) {
    const o = loadOrt();
    s = onnxExecutionProvider(loadOrt).then((provider) => {
      // Bytes rather than a path: Node's fs reads through an asar archive (and its .unpacked twin),
      // the native library's own file reads would not.
      const bytes = fs.readFileSync(onnxModelPath(model));
      return o.InferenceSession.create(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
        ...providerSessionOptions(provider.name),
        graphOptimizationLevel: 'all',
        intraOpNumThreads: Number(process.env.PORTRAIT_SONGS_ONNX_THREADS ?? 1) || 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
      });
    });
    sessions.set(model, s);
  }
  return s;
}

/** Releases every session this thread made (a worker does before it ends). */
export async function releaseOnnxSessions(): Promise<void> {
  const all = [...sessions.values()];
  sessions.clear();
  for (const s of all) {
    try {
      await (await s).release();
    } catch {
      // A session that failed to load has nothing to release.
    }
  }
}

/**
 * Picks the runtime once per process. ONNX counts as usable only once a session was created
 * and ran (that loads the native library and parses and checks a graph). The check uses the
 * small classifier graph so that a process that only dispatches to workers stays light; the
 * detector session is made on first use.
 */
export function chooseFaceRuntime(forced = parseForced()): Promise<FaceRuntimeInfo> {
  chosen ??= (async (): Promise<FaceRuntimeInfo> => {
    const tfjs = (skipped: string | null): FaceRuntimeInfo => ({
      name: 'tfjs', executionProviders: null, executionProvider: null, onnxruntimeVersion: null, modelsDigest: null, forced: forced === 'tfjs', skipped,
    });
    if (forced === 'tfjs') return tfjs('forced off by PORTRAIT_SONGS_FACE_RUNTIME=tfjs');
    try {
      const o = loadOrt();
      const provider = await onnxExecutionProvider(loadOrt);
      const session = await onnxSession('classifier');
      const out = await session.run({ face: new o.Tensor('float32', new Float32Array(48 * 48).fill(128), [1, 48, 48, 1]) });
      const probs = out.expressions?.data as Float32Array | undefined;
      if (!probs || probs.length !== 7 || !probs.every(Number.isFinite)) throw new Error('the classifier graph gave no usable output');
      return {
        name: 'onnx',
        executionProviders: providerSessionOptions(provider.name).executionProviders as string[],
        executionProvider: provider,
        onnxruntimeVersion: ortVersion(),
        modelsDigest: onnxModelsDigest(),
        forced: forced === 'onnx',
        skipped: null,
      };
    } catch (err) {
      sessions.clear();
      const reason = `onnxruntime-node could not run the face models: ${(err as Error).message}`;
      if (forced === 'onnx') throw new Error(reason);
      return tfjs(reason);
    }
  })();
  return chosen;
}

/** The choice already made in this process, if any (for reports that must not start one). */
export function faceRuntimeIfChosen(): Promise<FaceRuntimeInfo> | null {
  return chosen;
}

/** A short label for the analyser id: a different runtime or graph re-analyses the catalog. */
export function faceRuntimeTag(info: FaceRuntimeInfo): string {
  return info.name === 'onnx' ? `onnx:${info.modelsDigest}` : 'tfjs';
}
