/**
 * Backend setup for scripts and tests that run the face models outside the app (the app's
 * engine chooses its backend in ml/backend.ts). The model code itself never sets a backend.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

export async function useWasmBackend(): Promise<void> {
  if (tf.getBackend() === 'wasm') return;
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep;
  setWasmPaths(dist);
  if (!(await tf.setBackend('wasm'))) throw new Error('The wasm backend failed to initialise');
  await tf.ready();
}
