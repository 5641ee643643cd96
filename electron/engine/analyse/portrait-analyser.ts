/**
 * Where portrait analysis runs for one job: a pool of worker threads (the default, one per
 * core), or this thread when the count is 0 or when the engine was given its own classifier
 * object (tests), which cannot cross to a worker.
 */
import type { FaceRuntimeName } from '../ml/onnx-runtime.ts';
import type { Analyser } from './analyse-in-order.ts';
import { analyseHere, type LibraryDeps } from './portrait-library.ts';
import { PortraitWorkerPool } from './portrait-pool.ts';

export interface OpenAnalyser extends Analyser {
  readonly workers: number;
  close(): Promise<void>;
}

export function openAnalyser(opts: {
  workers: number;
  files: number;
  runtime: FaceRuntimeName;
  /** ONNX Runtime's execution provider, handed to the workers (null on TF.js). */
  onnxProvider?: string | null;
  deps: Pick<LibraryDeps, 'classifier' | 'detect' | 'thumbsDir'>;
  inProcess?: boolean;
}): OpenAnalyser {
  const n = opts.inProcess ? 0 : Math.min(opts.workers, opts.files);
  if (n === 0) {
    return {
      workers: 0,
      window: 1,
      analyse: (bytes, hash) => analyseHere(bytes, hash, opts.deps),
      dropWaiting: () => undefined,
      close: async () => undefined,
    };
  }
  // Started on the first image that needs analysing: a folder that is already up to date (the
  // CLI run twice, a re-open) starts no threads and loads no models.
  let pool: PortraitWorkerPool | null = null;
  return {
    workers: n,
    // Four files per worker read ahead: two at each worker (the pool's depth) and two waiting, so
    // one slow image at the head of the commit order (every look run on it) does not leave the
    // other workers idle, and the pool keeps a second job for each worker until the list ends.
    window: 4 * n,
    analyse: (bytes, hash) => (pool ??= new PortraitWorkerPool({ runtime: opts.runtime, onnxProvider: opts.onnxProvider ?? null, detect: opts.deps.detect, thumbsDir: opts.deps.thumbsDir }, n)).analyse(bytes, hash),
    dropWaiting: () => void pool?.dropWaiting(),
    close: async () => {
      await pool?.close();
    },
  };
}
