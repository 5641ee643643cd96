/**
 * A fixed pool of worker threads for song analysis: decoding and feature extraction are pure
 * CPU work, so one worker per core. A worker that dies is replaced and its job fails cleanly.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SongAnalysis } from './analyse-song.ts';
import type { SongJobResult } from './song-worker.ts';

/** From source the worker is TypeScript (run through tsx); in the app it is a bundled file. */
function workerEntry(): { file: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  return fromSource
    ? { file: path.join(import.meta.dirname, 'song-worker-source.mjs'), execArgv: [] }
    : { file: path.join(import.meta.dirname, 'song-worker.js'), execArgv: [] };
}

interface Slot {
  worker: Worker;
  busy: { id: number; resolve: (r: SongAnalysis) => void; reject: (e: Error) => void } | null;
}

export class SongWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: { file: string; resolve: (r: SongAnalysis) => void; reject: (e: Error) => void }[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly thumbsDir: string,
    readonly size = SongWorkerPool.defaultSize(),
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  static defaultSize(): number {
    return Math.max(1, os.availableParallelism());
  }

  private spawn(): Slot {
    const { file, execArgv } = workerEntry();
    const slot: Slot = { worker: new Worker(file, { execArgv }), busy: null };
    slot.worker.on('message', (msg: SongJobResult) => {
      const job = slot.busy;
      if (!job || job.id !== msg.id) return;
      slot.busy = null;
      if (msg.ok) job.resolve(msg.value);
      else job.reject(new Error(msg.message));
      this.pump();
    });
    const fail = (err: Error) => {
      const job = slot.busy;
      slot.busy = null;
      job?.reject(new Error(`The audio decoder crashed on this file (${err.message})`));
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
      const id = this.nextId++;
      slot.busy = { id, resolve: next.resolve, reject: next.reject };
      slot.worker.postMessage({ id, file: next.file, thumbsDir: this.thumbsDir });
    }
  }

  analyse(file: string): Promise<SongAnalysis> {
    if (this.closed) return Promise.reject(new Error('The worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ file, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(new Error('Indexing stopped'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
