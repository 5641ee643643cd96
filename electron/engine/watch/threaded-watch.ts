/**
 * watchFolder run in a worker thread (watch-worker.ts), with the same FolderWatch the engine's
 * live folders use: the engine's thread keeps answering the page while chokidar starts up on a
 * large folder.
 */
import { workerEntry } from '../jobs/worker-entry.ts';
import { Worker } from 'node:worker_threads';
import type { FolderKind } from '../../../shared/api.ts';
import type { BatchTiming, FileChange } from './change-batch.ts';
import type { FolderWatch } from './folder-watcher.ts';

export type WatchMessage =
  | { type: 'ready' }
  | { type: 'changes'; changes: [string, FileChange][] }
  | { type: 'error'; message: string };

export function watchFolderThreaded(
  folder: string,
  kind: FolderKind,
  opts: { onChanges(changes: Map<string, FileChange>): void; onError?(err: Error): void; timing?: Partial<BatchTiming>; writeSettleMs?: number },
): FolderWatch {
  const worker = new Worker(workerEntry(import.meta.url, import.meta.dirname, 'watch-worker'), { workerData: { folder, kind, timing: opts.timing, writeSettleMs: opts.writeSettleMs } });
  let readied: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (readied = resolve));
  let closed = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', (m: WatchMessage) => {
    if (m.type === 'ready') readied();
    else if (m.type === 'changes' && !closed) opts.onChanges(new Map(m.changes));
    else if (m.type === 'error') opts.onError?.(new Error(m.message));
  });
  worker.on('error', (err) => opts.onError?.(err));
  // A watcher that died or closed will not get ready: nobody waits on it for ever.
  void exited.then(readied);
  return {
    folder,
    ready,
    async close() {
      if (closed) return exited;
      closed = true;
      worker.postMessage('close');
      // A watcher that does not close within a few seconds is stopped.
      const timer = setTimeout(() => void worker.terminate(), 5000);
      timer.unref();
      await exited;
      clearTimeout(timer);
    },
  };
}
