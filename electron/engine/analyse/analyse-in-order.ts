/**
 * Runs a list of files through analysis with several in flight, and commits each result to the
 * catalog in the list's order, one row per transaction, as the one-at-a-time loop did: a kill
 * at any point leaves a prefix of the list committed, and a rerun resumes after it.
 */
import type { PortraitRow } from '../catalog/portraits-table.ts';
import { prepareFile, type AnalysisOutcome, type LibraryDeps, type PreparedFile } from './portrait-library.ts';

export interface Analyser {
  /** null: the job was dropped before it started (after a cancel); nothing is committed for it. */
  analyse(bytes: Buffer, hash: string): Promise<AnalysisOutcome | null>;
  /** Files read ahead of the one being committed (keeps every worker fed). */
  readonly window: number;
  /** Called once on cancel: unstarted work is dropped. */
  dropWaiting(): void;
}

export interface InOrderHooks {
  signal?: AbortSignal;
  /** Just before the next file's result is awaited (the app reports it as the current file). */
  onNext?(file: string): void;
  onResult(file: string, row: PortraitRow, analysed: boolean): void;
}

interface Entry {
  file: string;
  prepared: Promise<PreparedFile>;
  outcome: Promise<AnalysisOutcome | null>;
}

export async function analyseInOrder(files: string[], deps: Omit<LibraryDeps, 'classifier'>, analyser: Analyser, hooks: InOrderHooks): Promise<void> {
  const queue: Entry[] = [];
  let next = 0;
  let dropped = false;
  const fill = (): void => {
    while (queue.length < Math.max(1, analyser.window) && next < files.length && !hooks.signal?.aborted) {
      const file = files[next++]!;
      const prepared = prepareFile(file, deps);
      const outcome = prepared.then((p) => (p.bytes === null ? null : analyser.analyse(p.bytes, p.hash)));
      // Awaited in order below; this only keeps a rejection from counting as unhandled meanwhile.
      outcome.catch(() => undefined);
      queue.push({ file, prepared, outcome });
    }
  };
  fill();
  while (queue.length > 0) {
    if (hooks.signal?.aborted && !dropped) {
      dropped = true;
      analyser.dropWaiting();
    }
    const entry = queue.shift()!;
    hooks.onNext?.(entry.file);
    const prepared = await entry.prepared;
    let result: { row: PortraitRow; analysed: boolean };
    if (prepared.bytes === null) {
      result = prepared.commit();
    } else {
      const outcome = await entry.outcome;
      if (outcome === null) continue;
      result = prepared.commit(outcome);
    }
    hooks.onResult(entry.file, result.row, result.analysed);
    fill();
  }
}
