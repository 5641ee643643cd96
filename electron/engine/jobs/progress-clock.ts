/** Counts finished items and estimates the time left from the pace so far. */
export class ProgressClock {
  private readonly started = performance.now();
  done = 0;
  failed = 0;

  constructor(readonly total: number) {}

  tick(failed: boolean): void {
    this.done++;
    if (failed) this.failed++;
  }

  get elapsedMs(): number {
    return performance.now() - this.started;
  }

  /** Null until two items are done: one sample includes model loading and misleads. */
  get etaMs(): number | null {
    if (this.done < 2 || this.done >= this.total) return this.done >= this.total ? 0 : null;
    return Math.round((this.elapsedMs / this.done) * (this.total - this.done));
  }
}
