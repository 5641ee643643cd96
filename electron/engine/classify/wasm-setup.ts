/**
 * Backend setup for scripts and tests that run the face models outside the app: the same
 * chooser the engine uses, forced to wasm so figures are comparable across machines.
 */
import { initBackend } from '../ml/backend.ts';

export async function useWasmBackend(): Promise<void> {
  await initBackend('wasm');
}
