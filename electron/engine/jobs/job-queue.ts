/**
 * The engine's jobs run one at a time, in the order they were asked for: a portrait job already
 * spreads its images over every core, and two at once would only fight over them.
 */
import { randomUUID } from 'node:crypto';
import type { EngineEvent } from '../../../shared/api.ts';

export type JobKind = 'analyse-portraits' | 'index-music';

export class JobQueue {
  private readonly running = new Map<string, AbortController>();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly emit: (event: EngineEvent) => void) {}

  /** Queues `work` and says so at once (`job-started`); the job's own events are its to send. */
  start(kind: JobKind, folder: string, total: number, work: (jobId: string, signal: AbortSignal) => Promise<void>): string {
    const jobId = randomUUID();
    const controller = new AbortController();
    this.running.set(jobId, controller);
    this.emit({ type: 'job-started', jobId, kind, folder, total });
    const run = this.tail.then(() => work(jobId, controller.signal)).finally(() => this.running.delete(jobId));
    this.tail = run.catch(() => undefined);
    return jobId;
  }

  cancel(jobId: string): boolean {
    const job = this.running.get(jobId);
    if (!job) return false;
    job.abort();
    return true;
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }

  /** The current tail: comparing two reads tells whether a job was queued in between. */
  get last(): Promise<unknown> {
    return this.tail;
  }

  /** Resolves once the queue is empty, jobs queued meanwhile included. */
  async idle(): Promise<void> {
    for (let q = this.tail; ; q = this.tail) {
      await q;
      if (q === this.tail) return;
    }
  }
}
