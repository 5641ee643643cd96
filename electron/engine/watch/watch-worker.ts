/**
 * A folder watcher in a thread of its own (threaded-watch.ts starts it). Chokidar's start-up
 * looks at every file of the folder: 2.6 CPU s for 20,000 images, which on the engine's own
 * thread held up the scan and the listing of the folder being opened by 2 s.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FolderKind } from '../../../shared/api.ts';
import { acceptFor } from './accept-files.ts';
import type { BatchTiming } from './change-batch.ts';
import { watchFolder } from './folder-watcher.ts';
import type { WatchMessage } from './threaded-watch.ts';

const { folder, kind, timing, writeSettleMs } = workerData as { folder: string; kind: FolderKind; timing?: Partial<BatchTiming>; writeSettleMs?: number };
const port = parentPort!;
const post = (message: WatchMessage): void => port.postMessage(message);

const watch = watchFolder(folder, {
  accept: acceptFor(kind),
  timing,
  writeSettleMs,
  onChanges: (changes) => post({ type: 'changes', changes: [...changes] }),
  onError: (err) => post({ type: 'error', message: err.message }),
});
void watch.ready.then(() => post({ type: 'ready' }));
port.on('message', (m: unknown) => {
  if (m !== 'close') return;
  void watch.close().finally(() => port.close());
});
