/**
 * A pool of portrait-analysis worker threads, one per core by default: the face models run
 * single-threaded per worker, so this is what puts every core to work. Threads rather than
 * processes: a killed analyser (kill -9) takes its workers with it, and nothing is orphaned.
 *
 * Size: `workers` when given (engine option), else PORTRAIT_SONGS_ANALYSIS_WORKERS, else the
 * number of cores. A worker that dies is replaced and its job fails with a reason.
 */
import os from 'node:os';
import { workerEntry } from '../jobs/worker-entry.ts';
import { Worker } from 'node:worker_threads';
import type { AnalysisOutcome } from './portrait-library.ts';
import type { PortraitJob, PortraitWorkerClose, PortraitWorkerData, PortraitWorkerMessage } from './portrait-worker.ts';
import { ThreadPool } from '../jobs/thread-pool.ts';

export const ANALYSIS_WORKERS_ENV = 'PORTRAIT_SONGS_ANALYSIS_WORKERS';

/** Workers to use: an explicit count, else the environment's, else one per core. 0 = analyse in-process. */
export function analysisWorkerCount(explicit?: number, env = process.env[ANALYSIS_WORKERS_ENV]): number {
  const pick = (v: number, from: string): number => {
    if (!Number.isInteger(v) || v < 0 || v > 64) throw new Error(`${from} must be a whole number from 0 to 64; got ${v}`);
    return v;
  };
  if (explicit !== undefined) return pick(explicit, 'analysisWorkers');
  if (env !== undefined && env !== '') return pick(Number(env), ANALYSIS_WORKERS_ENV);
  return Math.max(1, os.availableParallelism());
}

export class PortraitWorkerPool {
  private readonly pool: ThreadPool<AnalysisOutcome>;

  constructor(config: PortraitWorkerData, size: number) {
    this.pool = new ThreadPool(
      size,
      () => new Worker(workerEntry(import.meta.url, import.meta.dirname, 'portrait-worker'), { workerData: config }),
      (msg) => {
        const m = msg as PortraitWorkerMessage;
        return m.type === 'result' ? { id: m.id, result: m.outcome } : null;
      },
      2,
    );
  }

  get size(): number {
    return this.pool.size;
  }

  /**
   * Resolves with the outcome, or null when the job was dropped unstarted (dropWaiting, close);
   * never rejects: a failure is an outcome the catalog stores.
   */
  analyse(bytes: Buffer, hash: string): Promise<AnalysisOutcome | null> {
    return new Promise((resolve) => {
      const taken = this.pool.submit({
        payload: { bytes, hash } satisfies Omit<PortraitJob, 'id'>,
        done: resolve,
        crashed: (err) => resolve({ ok: false, message: `The analysis worker crashed on this image (${err.message})` }),
        dropped: () => resolve(null),
      });
      if (!taken) resolve(null);
    });
  }

  /** Drops the jobs no worker has started (their promises resolve as not analysed). */
  dropWaiting(): number {
    return this.pool.dropWaiting();
  }

  /**
   * Lets each worker finish its job, release its ONNX sessions and end by itself: terminating a
   * thread that holds sessions can abort the process. Terminates one only if it hangs.
   */
  async close(graceMs = 10_000): Promise<void> {
    await this.pool.close({ type: 'close' } satisfies PortraitWorkerClose, graceMs);
  }
}
