/**
 * Chooses the TensorFlow.js backend at run time: tfjs-node-gpu → tfjs-node → wasm → cpu.
 * The native packages are optional dependencies that fail to install offline, and requiring
 * one without its compiled binding throws after leaving kernel-registration noise behind, so
 * the binding file is checked before anything is required.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendInfo, BackendName } from '../../../shared/api.ts';
import { BACKEND_NAMES } from '../../../shared/api.ts';

const require = createRequire(import.meta.url);

interface Candidate {
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

function parseForced(value: string | undefined): BackendName | null {
  if (!value) return null;
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`PORTRAIT_SONGS_BACKEND must be one of ${BACKEND_NAMES.join(', ')}; got "${value}"`);
}

/**
 * Picks and initialises the backend once per process. With `PORTRAIT_SONGS_BACKEND` set, only
 * that backend is tried and failure is an error: a forced choice must not silently fall back.
 */
export async function initBackend(forced = parseForced(process.env.PORTRAIT_SONGS_BACKEND)): Promise<BackendInfo> {
  if (chosen) return chosen;
  const skipped: { name: BackendName; reason: string }[] = [];
  for (const candidate of CANDIDATES) {
    if (forced && candidate.name !== forced) continue;
    const reason = candidate.load();
    if (reason === null) {
      try {
        if (await tf.setBackend(candidate.tfName)) {
          await tf.ready();
          chosen = { name: candidate.name, forced: forced !== null, skipped, tfjsVersion: tf.version.tfjs };
          return chosen;
        }
        skipped.push({ name: candidate.name, reason: 'backend failed to initialise' });
      } catch (err) {
        skipped.push({ name: candidate.name, reason: (err as Error).message });
      }
    } else {
      skipped.push({ name: candidate.name, reason });
    }
  }
  const detail = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(forced ? `Backend "${forced}" is not usable here (${detail})` : `No TensorFlow.js backend could start (${detail})`);
}

export function currentBackend(): BackendInfo | null {
  return chosen;
}
