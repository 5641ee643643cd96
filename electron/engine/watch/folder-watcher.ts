/**
 * Watches one folder the person opened, recursively, with chokidar (which copes with the
 * platforms' fs.watch quirks: editors' atomic saves, renames, recursive watching on Linux).
 * Only files the folder's kind takes are reported, in debounced batches; names the scan
 * passes over (hidden files and folders) are passed over here too, and folder links are not
 * followed, as in walkFiles.
 */
import path from 'node:path';
import type { Stats } from 'node:fs';
import { watch, type FSWatcher } from 'chokidar';
import { ChangeBatcher, type BatchTiming, type FileChange } from './change-batch.ts';

export interface FolderWatchOptions {
  /** Which files matter (images for portraits, audio for music). */
  accept(file: string): boolean;
  onChanges(changes: Map<string, FileChange>): void;
  onError?(err: Error): void;
  timing?: Partial<BatchTiming>;
  /** How long a file's size must stay put before it counts as written (a copy in progress). */
  writeSettleMs?: number;
}

export interface FolderWatch {
  readonly folder: string;
  /** Settles once the initial crawl is done: from then on every change is reported. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_TIMING: BatchTiming = { quietMs: 400, maxWaitMs: 4000 };

export function watchFolder(folder: string, opts: FolderWatchOptions): FolderWatch {
  const batcher = new ChangeBatcher({ ...DEFAULT_TIMING, ...opts.timing }, opts.onChanges);
  const hidden = (p: string): boolean => path.relative(folder, p).split(path.sep).some((part) => part.startsWith('.'));
  const watcher: FSWatcher = watch(folder, {
    ignoreInitial: true,
    followSymlinks: false,
    ignorePermissionErrors: true,
    awaitWriteFinish: { stabilityThreshold: opts.writeSettleMs ?? 300, pollInterval: 100 },
    // Called once without stats and again with them: only a known file can be judged by its name.
    ignored: (p: string, stats?: Stats) => hidden(p) || (!!stats?.isFile() && !opts.accept(p)),
  });
  const note = (change: FileChange) => (p: string) => batcher.note(change, p);
  watcher.on('add', note('added'));
  watcher.on('change', note('changed'));
  watcher.on('unlink', note('removed'));
  // A folder moved in or out: its files may not each get an event, and the re-scan walks anyway.
  watcher.on('addDir', (p) => p !== folder && batcher.note('added', p));
  watcher.on('unlinkDir', note('removed'));
  watcher.on('error', (err) => opts.onError?.(err as Error));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    folder,
    ready,
    async close() {
      batcher.close();
      await watcher.close();
    },
  };
}
