/**
 * A fixed pool of worker threads for song analysis: decoding and feature extraction are pure
 * CPU work, so one worker per core. A worker that dies is replaced and its job fails cleanly.
 */
import os from 'node:os';
import { workerEntry } from '../jobs/worker-entry.ts';
import { Worker } from 'node:worker_threads';
import type { SongAnalysis } from './analyse-song.ts';
import type { SongJobResult, SongWorkerData } from './song-worker.ts';
import { ThreadPool } from '../jobs/thread-pool.ts';

export class SongWorkerPool {
  private readonly pool: ThreadPool<SongJobResult>;

  /** `onnxProvider`: the execution provider this thread chose, for every worker to use (null: each chooses). */
  constructor(
    private readonly thumbsDir: string,
    readonly size = SongWorkerPool.defaultSize(),
    onnxProvider: string | null = null,
  ) {
    const file = workerEntry(import.meta.url, import.meta.dirname, 'song-worker');
    const workerData: SongWorkerData = { onnxProvider };
    this.pool = new ThreadPool(size, () => new Worker(file, { workerData }), (msg) => {
      const m = msg as SongJobResult;
      return { id: m.id, result: m };
    });
  }

  static defaultSize(): number {
    return Math.max(1, os.availableParallelism());
  }

  analyse(file: string): Promise<SongAnalysis> {
    return new Promise((resolve, reject) => {
      const taken = this.pool.submit({
        payload: { file, thumbsDir: this.thumbsDir },
        done: (r) => (r.ok ? resolve(r.value) : reject(new Error(r.message))),
        crashed: (err) => reject(new Error(`The audio decoder crashed on this file (${err.message})`)),
        dropped: () => reject(new Error('Indexing stopped')),
      });
      if (!taken) reject(new Error('The worker pool is closed'));
    });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
