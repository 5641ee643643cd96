/**
 * Keeps the open folders current: one watcher per kind (the portrait folder and the music
 * folder the person has open), and a re-scan of that folder after each batch of changes.
 *
 * A re-scan waits until the engine's job queue is idle before it walks: walking while the
 * opening's own analysis still runs would find that analysis's files stale and queue them
 * twice. Batches that arrive while a re-scan waits need no re-scan of their own, since the
 * waiting one walks afterwards and sees them.
 */
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
}

export class LiveFolders {
  private readonly watches = new Map<FolderKind, FolderWatch>();
  /** Folders (by kind and path) with a re-scan waiting for the queue, and the changes it will cover. */
  private readonly waiting = new Map<string, Map<string, FileChange>>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly deps: LiveFoldersDeps) {}

  /** Watches `folder` for `kind`, and stops watching the folder that kind had before. */
  async watch(kind: FolderKind, folder: string): Promise<FolderWatch | null> {
    if (this.closed) return null;
    const current = this.watches.get(kind);
    if (current?.folder === folder) return current;
    const hooks = {
      timing: this.deps.timing,
      writeSettleMs: this.deps.writeSettleMs,
      onChanges: (changes: Map<string, FileChange>) => this.changed(kind, folder, changes),
      onError: (err: Error) => this.deps.onError?.(err, folder),
    };
    const next = this.deps.threaded ? watchFolderThreaded(folder, kind, hooks) : watchFolder(folder, { ...hooks, accept: this.deps.accept(kind) });
    this.watches.set(kind, next);
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
    })()
      .catch((err: unknown) => this.deps.onError?.(err as Error, folder))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** True while a re-scan waits for the queue or runs (a batch still gathering does not count). */
  get busy(): boolean {
    return this.running.size > 0;
  }

  /** Resolves once no re-scan is waiting or running (tests and the engine's idle()). */
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
