/**
 * Chooses the TensorFlow.js backend at run time: tfjs-node-gpu → tfjs-node → wasm → cpu.
 * The native packages are optional dependencies that fail to install offline, and requiring
 * one without its compiled binding throws after leaving kernel-registration noise behind, so
 * the binding file is checked before anything is required. A backend counts only once a real
 * operation has run on it and given the right answer: tfjs-node 4.22 on Node 24 initialises
 * fine and then fails every op.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import nodeUtil from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendInfo, BackendName } from '../../../shared/api.ts';
import { BACKEND_NAMES } from '../../../shared/api.ts';
import { provideRemovedUtilHelpers } from './node-util-shim.ts';

const require = createRequire(import.meta.url);

export interface Candidate {
  name: BackendName;
  /** Returns why it cannot be used, or null if it was loaded and can be tried. */
  load(): string | null;
  tfName: string;
}

function nativeBindingOf(pkg: string): string | null {
  let root: string;
  try {
    root = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return null;
  }
  const libDir = path.join(root, 'lib');
  if (!fs.existsSync(libDir)) return null;
  for (const dir of fs.readdirSync(libDir)) {
    const binding = path.join(libDir, dir, 'tfjs_binding.node');
    if (dir.startsWith('napi-v') && fs.existsSync(binding)) return binding;
  }
  return null;
}

let nativeLoaded: string | null = null;

function nativeCandidate(name: 'tfjs-node-gpu' | 'tfjs-node'): Candidate {
  const pkg = `@tensorflow/${name}`;
  return {
    name,
    tfName: 'tensorflow',
    load() {
      // Two native packages in one process fight over the same kernels.
      if (nativeLoaded && nativeLoaded !== pkg) return `${nativeLoaded} is already loaded`;
      if (!nativeBindingOf(pkg)) return `${pkg} is not installed with its native binding`;
      provideRemovedUtilHelpers(nodeUtil);
      try {
        require(pkg);
        nativeLoaded = pkg;
        return null;
      } catch (err) {
        return `${pkg} failed to load: ${(err as Error).message}`;
      }
    },
  };
}

export function wasmDistDir(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep;
}

const CANDIDATES: Candidate[] = [
  nativeCandidate('tfjs-node-gpu'),
  nativeCandidate('tfjs-node'),
  {
    name: 'wasm',
    tfName: 'wasm',
    load() {
      setWasmPaths(wasmDistDir());
      return null;
    },
  },
  { name: 'cpu', tfName: 'cpu', load: () => null },
];

let chosen: BackendInfo | null = null;
let choosing: Promise<BackendInfo> | null = null;

function parseForced(value: string | undefined): BackendName | null {
  if (!value) return null;
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`PORTRAIT_SONGS_BACKEND must be one of ${BACKEND_NAMES.join(', ')}; got "${value}"`);
}

/**
 * Runs a small convolution and checks its answer: a 4×4 image of ones through a 2×2 kernel of
 * ones gives nine 4s. Returns why the backend is unusable, or null.
 */
export async function firstOpFailure(): Promise<string | null> {
  try {
    const sum = tf.tidy(() => tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, tf.ones([2, 2, 1, 1]) as tf.Tensor4D, 1, 'valid').sum());
    const value = (await sum.data())[0];
    sum.dispose();
    return value === 36 ? null : `first operation gave a wrong result (${value}, expected 36)`;
  } catch (err) {
    return `first operation failed: ${(err as Error).message}`;
  }
}

/** Tries candidates in order and keeps the first whose first real op succeeds. */
export async function chooseBackend(candidates: Candidate[], forced: BackendName | null): Promise<BackendInfo> {
  const skipped: { name: BackendName; reason: string }[] = [];
  for (const candidate of candidates) {
    if (forced && candidate.name !== forced) continue;
    const reason = candidate.load();
    if (reason !== null) {
      skipped.push({ name: candidate.name, reason });
      continue;
    }
    try {
      if (!(await tf.setBackend(candidate.tfName))) {
        skipped.push({ name: candidate.name, reason: 'backend failed to initialise' });
        continue;
      }
      await tf.ready();
    } catch (err) {
      skipped.push({ name: candidate.name, reason: (err as Error).message });
      continue;
    }
    const failure = await firstOpFailure();
    if (failure === null) return { name: candidate.name, forced: forced !== null, skipped, tfjsVersion: tf.version.tfjs };
    skipped.push({ name: candidate.name, reason: failure });
  }
  const detail = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(forced ? `Backend "${forced}" is not usable here (${detail})` : `No TensorFlow.js backend could start (${detail})`);
}

/**
 * Picks and initialises the backend once per process. With `PORTRAIT_SONGS_BACKEND` set, only
 * that backend is tried and failure is an error: a forced choice must not silently fall back.
 */
export async function initBackend(forced = parseForced(process.env.PORTRAIT_SONGS_BACKEND)): Promise<BackendInfo> {
  choosing ??= chooseBackend(CANDIDATES, forced).then(
    (backend) => (chosen = backend),
    (err: unknown) => {
      choosing = null;
      throw err;
    },
  );
  return choosing;
}

export function currentBackend(): BackendInfo | null {
  return chosen;
}
