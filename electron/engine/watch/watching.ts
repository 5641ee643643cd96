/**
 * Following the open folders: a change re-scans its folder once the job queue is idle, through
 * the same scan that opening the folder runs.
 */
import fs from 'node:fs';
import type { FolderKind } from '../../../shared/api.ts';
import { acceptFor } from './accept-files.ts';
import type { BatchTiming } from './change-batch.ts';
import { LiveFolders } from './live-folders.ts';

export type WatchOption = boolean | { quietMs?: number; maxWaitMs?: number; startDelayMs?: number };

export function followFolders(
  option: WatchOption | undefined,
  deps: { whenIdle(): Promise<void>; rescan(kind: FolderKind, folder: string): Promise<unknown> },
): LiveFolders | null {
  if (!option) return null;
  return new LiveFolders({
    accept: acceptFor,
    threaded: true,
    whenIdle: deps.whenIdle,
    rescan: async (kind, folder) => {
      // A folder that went away as a whole (a drive unplugged) is left as it was, not emptied.
      if (!(await fs.promises.stat(folder).then((s) => s.isDirectory(), () => false))) return;
      await deps.rescan(kind, folder);
    },
    onError: (err, folder) => console.error(`Watching ${folder}: ${err.message}`),
    ...(typeof option === 'object' ? splitOption(option) : {}),
  });
}

/** The batch timing apart from the start delay; only what is set, so the defaults fill in the rest. */
function splitOption({ startDelayMs, ...timing }: Exclude<WatchOption, boolean>): { timing: Partial<BatchTiming>; startDelayMs?: number } {
  return startDelayMs === undefined ? { timing } : { timing, startDelayMs };
}
