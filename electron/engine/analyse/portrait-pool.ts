/**
 * A pool of portrait-analysis worker threads, one per core by default: the face models run
 * single-threaded per worker, so this is what puts every core to work. Threads rather than
 * processes: a killed analyser (kill -9) takes its workers with it, and nothing is orphaned.
 *
 * Size: `workers` when given (engine option), else PORTRAIT_SONGS_ANALYSIS_WORKERS, else the
 * number of cores. A worker that dies is replaced and its job fails with a reason.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AnalysisOutcome } from './portrait-library.ts';
import type { PortraitJob, PortraitWorkerClose, PortraitWorkerData, PortraitWorkerMessage } from './portrait-worker.ts';

/**
 * From source the worker is TypeScript (run through tsx); bundled, it is dist/electron/portrait-worker.js,
 * beside the engine bundle (or one folder over, for the browser host's bundle in dist/web).
 */
function workerEntry(): string {
  if (import.meta.url.endsWith('.ts')) return path.join(import.meta.dirname, 'portrait-worker-source.mjs');
  const beside = path.join(import.meta.dirname, 'portrait-worker.js');
  const electronDist = path.join(import.meta.dirname, '..', 'electron', 'portrait-worker.js');
  return fs.existsSync(beside) || !fs.existsSync(electronDist) ? beside : electronDist;
}

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

interface Pending {
  job: PortraitJob;
  /** null: dropped before any worker started it. */
  resolve: (o: AnalysisOutcome | null) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending | null;
}

export class PortraitWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly config: PortraitWorkerData,
    readonly size: number,
  ) {
    if (size < 1) throw new Error('a worker pool needs at least one worker');
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(workerEntry(), { workerData: this.config }), busy: null };
    slot.worker.on('message', (msg: PortraitWorkerMessage) => {
      if (msg.type !== 'result') return;
      const job = slot.busy;
      if (!job || job.job.id !== msg.id) return;
      slot.busy = null;
      job.resolve(msg.outcome);
      this.pump();
    });
    const fail = (err: Error) => {
      const job = slot.busy;
      slot.busy = null;
      job?.resolve({ ok: false, message: `The analysis worker crashed on this image (${err.message})` });
      if (this.closed) return;
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots[i] = this.spawn();
      this.pump();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (!this.closed && slot.busy) fail(new Error(`worker exited with code ${code}`));
    });
    return slot;
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const next = this.waiting.shift();
      if (!next) return;
      slot.busy = next;
      slot.worker.postMessage(next.job);
    }
  }

  /**
   * Resolves with the outcome, or null when the job was dropped unstarted (dropWaiting, close);
   * never rejects: a failure is an outcome the catalog stores.
   */
  analyse(bytes: Buffer, hash: string): Promise<AnalysisOutcome | null> {
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiting.push({ job: { id: this.nextId++, bytes, hash }, resolve });
      this.pump();
    });
  }

  /** Drops the jobs no worker has started (their promises resolve as not analysed). */
  dropWaiting(): number {
    const dropped = this.waiting.splice(0);
    for (const w of dropped) w.resolve(null);
    return dropped.length;
  }

  /** Lets each worker finish its job and release its sessions; terminates one only if it hangs. */
  async close(graceMs = 10_000): Promise<void> {
    this.closed = true;
    this.dropWaiting();
    await Promise.all(
      this.slots.map(
        ({ worker }) =>
          new Promise<void>((resolve) => {
            // threadId is -1 once a worker has exited (a crash replaced too late, say).
            if (worker.threadId === -1) return resolve();
            const timer = setTimeout(() => void worker.terminate().finally(resolve), graceMs);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.postMessage({ type: 'close' } satisfies PortraitWorkerClose);
          }),
      ),
    );
  }
}
