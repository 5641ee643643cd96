/**
 * Gathers a folder's file events into batches: a copy of a hundred images, or an editor's
 * save-as-rename dance, becomes one re-scan instead of a hundred. A batch is handed over once
 * the folder has been quiet for `quietMs`, or at the latest `maxWaitMs` after its first event,
 * so a long copy still gets analysed while it goes on.
 */

export type FileChange = 'added' | 'changed' | 'removed';

export interface BatchTiming {
  quietMs: number;
  maxWaitMs: number;
}

/** What the last event says about a file, given what the batch already knew. */
function merge(before: FileChange | undefined, now: FileChange): FileChange {
  if (before === 'added' && now === 'changed') return 'added';
  if (before === 'removed' && now === 'added') return 'changed';
  return now;
}

export class ChangeBatcher {
  private pending = new Map<string, FileChange>();
  private quiet: ReturnType<typeof setTimeout> | null = null;
  private deadline: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly timing: BatchTiming,
    private readonly flush: (changes: Map<string, FileChange>) => void,
  ) {}

  note(change: FileChange, file: string): void {
    if (this.closed) return;
    this.pending.set(file, merge(this.pending.get(file), change));
    if (this.quiet) clearTimeout(this.quiet);
    this.quiet = setTimeout(() => this.hand(), this.timing.quietMs);
    this.deadline ??= setTimeout(() => this.hand(), this.timing.maxWaitMs);
  }

  /** Events noted and not yet handed over. */
  get size(): number {
    return this.pending.size;
  }

  private hand(): void {
    this.clearTimers();
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flush(batch);
  }

  private clearTimers(): void {
    if (this.quiet) clearTimeout(this.quiet);
    if (this.deadline) clearTimeout(this.deadline);
    this.quiet = this.deadline = null;
  }

  /** Drops what is pending: the folder is no longer watched, so nobody wants it re-scanned. */
  close(): void {
    this.closed = true;
    this.clearTimers();
    this.pending.clear();
  }
}
