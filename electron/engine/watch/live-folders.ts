/**
 * Keeps the open folders current: one watcher per kind (the portrait folder and the music
 * folder the person has open), and a re-scan of that folder after each batch of changes.
 *
 * A re-scan waits until the engine's job queue is idle before it walks: walking while the
 * opening's own analysis still runs would find that analysis's files stale and queue them
 * twice. Batches that arrive while a re-scan waits need no re-scan of their own, since the
 * waiting one walks afterwards and sees them.
 *
 * A watcher starts a while after the folder's opening scan, not beside it: chokidar's first
 * crawl costs about 3 CPU s at 20,000 images, which on two cores held up the page listing the
 * folder just opened (three re-opens of 20,000 with a music folder indexing besides: 4.8-6.8 s
 * with the crawl beside the scan, 3.0-4.4 s with it after). What changes
 * before the watcher is ready (after the scan's walk passed it, or during the crawl, which
 * reports nothing) is caught by one re-scan once it is ready.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FolderKind } from '../../../shared/api.ts';
import type { BatchTiming, FileChange } from './change-batch.ts';
import { watchFolder, type FolderWatch } from './folder-watcher.ts';
import { watchFolderThreaded } from './threaded-watch.ts';

export interface LiveFoldersDeps {
  accept(kind: FolderKind): (file: string) => boolean;
  /** Watch in a worker thread (threaded-watch.ts; accept then follows the kind), as the engine does. */
  threaded?: boolean;
  /** Resolves when no job is queued or running. */
  whenIdle(): Promise<void>;
  /** Brings the catalog up to date with the folder, as opening it again would. */
  rescan(kind: FolderKind, folder: string, changes: Map<string, FileChange>): Promise<void>;
  onError?(err: Error, folder: string): void;
  timing?: Partial<BatchTiming>;
  writeSettleMs?: number;
  /** How long after the folder's opening scan settles its watcher starts (default START_DELAY_MS). */
  startDelayMs?: number;
}

/** Long enough for the page to list and draw a 20,000-portrait folder before the crawl begins. */
export const START_DELAY_MS = 2500;

/** A watcher that starts once `after` settles and `delayMs` more have passed; closed before that, it never starts. */
function deferredWatch(folder: string, start: () => FolderWatch, after: Promise<unknown>, delayMs: number): FolderWatch {
  let inner: FolderWatch | null = null;
  // Closing cancels the wait, so a pending start keeps no process alive.
  const closing = new AbortController();
  const ready = (async () => {
    await after.catch(() => undefined);
    if (delayMs > 0) await sleep(delayMs, undefined, { signal: closing.signal }).catch(() => undefined);
    if (closing.signal.aborted) return;
    inner = start();
    await inner.ready;
  })();
  return {
    folder,
    ready,
    async close() {
      closing.abort();
      await inner?.close();
    },
  };
}

export class LiveFolders {
  private readonly watches = new Map<FolderKind, FolderWatch>();
  /** Folders (by kind and path) with a re-scan waiting for the queue, and the changes it will cover. */
  private readonly waiting = new Map<string, Map<string, FileChange>>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly deps: LiveFoldersDeps) {}

  /**
   * Watches `folder` for `kind`, starting once `scanned` (the opening scan) settles and the start
   * delay has passed, and stops watching the folder that kind had before. The returned watch's
   * `ready` settles when it follows the folder; a re-scan is then queued for what changed before.
   */
  async watch(kind: FolderKind, folder: string, scanned: Promise<unknown> = Promise.resolve()): Promise<FolderWatch | null> {
    if (this.closed) return null;
    const current = this.watches.get(kind);
    if (current?.folder === folder) return current;
    const hooks = {
      timing: this.deps.timing,
      writeSettleMs: this.deps.writeSettleMs,
      onChanges: (changes: Map<string, FileChange>) => this.changed(kind, folder, changes),
      onError: (err: Error) => this.deps.onError?.(err, folder),
    };
    const start = () => (this.deps.threaded ? watchFolderThreaded(folder, kind, hooks) : watchFolder(folder, { ...hooks, accept: this.deps.accept(kind) }));
    const next = deferredWatch(folder, start, scanned, this.deps.startDelayMs ?? START_DELAY_MS);
    this.watches.set(kind, next);
    // Counted as busy until ready: idle() then means the folder is followed and caught up.
    this.track(folder, next.ready.then(() => this.changed(kind, folder, new Map())));
    await current?.close();
    return next;
  }

  watching(kind: FolderKind): string | null {
    return this.watches.get(kind)?.folder ?? null;
  }

  private changed(kind: FolderKind, folder: string, changes: Map<string, FileChange>): void {
    if (this.watches.get(kind)?.folder !== folder) return;
    const key = `${kind}\0${folder}`;
    const waiting = this.waiting.get(key);
    if (waiting) {
      for (const [file, change] of changes) waiting.set(file, change);
      return;
    }
    this.waiting.set(key, changes);
    const run = (async () => {
      await this.deps.whenIdle();
      const covered = this.waiting.get(key) ?? changes;
      this.waiting.delete(key);
      // The person may have opened another folder meanwhile: this one is no longer theirs to follow.
      if (this.closed || this.watches.get(kind)?.folder !== folder) return;
      await this.deps.rescan(kind, folder, covered);
    })();
    this.track(folder, run);
  }

  /** Counts `work` as busy until it settles; its failure is reported, not thrown. */
  private track(folder: string, work: Promise<void>): void {
    const tracked: Promise<void> = work
      .catch((err: unknown) => this.deps.onError?.(err as Error, folder))
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** True while a watcher is on its way, or a re-scan waits for the queue or runs (a batch still gathering does not count). */
  get busy(): boolean {
    return this.running.size > 0;
  }

  /** Resolves once every watcher is ready and no re-scan is waiting or running (tests and the engine's idle()). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all(this.running);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.clear();
    const all = [...this.watches.values()];
    this.watches.clear();
    await Promise.all(all.map((w) => w.close()));
  }
}
