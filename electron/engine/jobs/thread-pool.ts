/**
 * A fixed set of worker threads for CPU work that runs single-threaded per worker (song
 * decoding, face models). Each worker runs its jobs one after another; with `depth` 2 it is
 * handed its next job before it finishes the current one, so it never waits for this thread to
 * answer (which, with one worker per core, competes for a core). A worker that dies is replaced,
 * only the job it was running fails, and the one queued behind it goes back to the front of the
 * line; jobs wait in order for a free worker. The portrait and song pools are this pool with
 * their own messages.
 */
import { Worker } from 'node:worker_threads';

export interface ThreadTask<R> {
  /** Posted as `{ id, ...payload }`. */
  payload: object;
  done(result: R): void;
  crashed(err: Error): void;
  /** Taken back unstarted (dropWaiting, close). */
  dropped(): void;
}

interface Slot<R> {
  worker: Worker;
  /** Posted to the worker, oldest (the one it is running) first. */
  inFlight: (ThreadTask<R> & { id: number })[];
}

export class ThreadPool<R> {
  private readonly slots: Slot<R>[] = [];
  private readonly waiting: ThreadTask<R>[] = [];
  private nextId = 1;
  private closed = false;

  /** `resultOf` reads a worker's message: the job id and its result, or null for other messages. */
  constructor(
    readonly size: number,
    private readonly spawnWorker: () => Worker,
    private readonly resultOf: (msg: unknown) => { id: number; result: R } | null,
    /** Jobs posted to a worker at once: 1, or 2 to hand it the next job early. */
    private readonly depth: 1 | 2 = 1,
  ) {
    if (size < 1) throw new Error('a worker pool needs at least one worker');
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private spawn(): Slot<R> {
    const slot: Slot<R> = { worker: this.spawnWorker(), inFlight: [] };
    slot.worker.on('message', (msg: unknown) => {
      const r = this.resultOf(msg);
      const at = r ? slot.inFlight.findIndex((t) => t.id === r.id) : -1;
      if (!r || at < 0) return;
      const [task] = slot.inFlight.splice(at, 1);
      task!.done(r.result);
      this.pump();
    });
    const fail = (err: Error) => {
      const [running, ...queued] = slot.inFlight;
      slot.inFlight = [];
      running?.crashed(err);
      // Jobs queued behind the crash never started: they wait for the next worker, first in line.
      this.waiting.unshift(...queued.map(({ id: _id, ...task }) => task));
      if (this.closed) {
        this.dropWaiting();
        return;
      }
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots[i] = this.spawn();
      this.pump();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (!this.closed && slot.inFlight.length > 0) fail(new Error(`worker exited with code ${code}`));
    });
    return slot;
  }

  private pump(): void {
    // Idle workers first, then a second job each: work spreads before it queues. A second job is
    // handed out only while there are enough for every worker: near the end a job posted early
    // could wait behind a long one while another worker sits idle.
    for (let level = 0; level < this.depth; level++) {
      for (const slot of this.slots) {
        if (slot.inFlight.length > level) continue;
        if (level > 0 && this.waiting.length < this.slots.length) return;
        const next = this.waiting.shift();
        if (!next) return;
        const id = this.nextId++;
        slot.inFlight.push({ ...next, id });
        slot.worker.postMessage({ id, ...next.payload });
      }
    }
  }

  /** False when the pool is closed (the task is not taken). */
  submit(task: ThreadTask<R>): boolean {
    if (this.closed) return false;
    this.waiting.push(task);
    this.pump();
    return true;
  }

  /** Takes back the tasks no worker has started; returns how many. */
  dropWaiting(): number {
    const dropped = this.waiting.splice(0);
    for (const t of dropped) t.dropped();
    return dropped.length;
  }

  /**
   * Stops taking work and ends every worker: with `farewell`, each is asked to finish its job and
   * end by itself (terminated only if it hangs past `graceMs`); without, it is terminated. Tasks
   * still waiting are dropped at once, before the workers end.
   */
  async close(farewell?: object, graceMs = 10_000): Promise<void> {
    this.closed = true;
    this.dropWaiting();
    await Promise.all(
      this.slots.map(({ worker }) => {
        if (!farewell) return worker.terminate();
        return new Promise<void>((resolve) => {
          // threadId is -1 once a worker has exited (a crash replaced too late, say).
          if (worker.threadId === -1) return resolve();
          const timer = setTimeout(() => void worker.terminate().finally(resolve), graceMs);
          worker.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          worker.postMessage(farewell);
        });
      }),
    );
  }
}
