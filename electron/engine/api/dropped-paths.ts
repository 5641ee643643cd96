/**
 * Electron: the paths of files the person really dropped on the window, as the preload saw them
 * (a trusted drop event; a page cannot fake one). Opening a dropped path widens what may be read,
 * so the shell opens only paths recorded here, briefly: a page must not be able to name any
 * folder and call it dropped.
 */
import path from 'node:path';

export const DROP_MEMORY_MS = 60_000;
const MAX_PATHS = 1000;

export class DroppedPaths {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** From the preload's IPC message: anything but a short list of absolute paths is ignored. */
  record(paths: unknown): void {
    if (!Array.isArray(paths) || paths.length > MAX_PATHS) return;
    this.prune();
    const at = this.now();
    for (const p of paths) {
      if (typeof p === 'string' && p.length <= 4096 && !p.includes('\0') && path.isAbsolute(p)) this.seen.set(path.resolve(p), at);
    }
    while (this.seen.size > MAX_PATHS) this.seen.delete(this.seen.keys().next().value!);
  }

  /** True when every path was dropped within the last minute. */
  allows(paths: readonly string[]): boolean {
    this.prune();
    return paths.length > 0 && paths.every((p) => this.seen.has(path.resolve(p)));
  }

  private prune(): void {
    const oldest = this.now() - DROP_MEMORY_MS;
    for (const [p, at] of this.seen) if (at < oldest) this.seen.delete(p);
  }
}
