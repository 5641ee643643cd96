/**
 * Collects the thumbnails asked for within one task and fetches them in batches: the cards that
 * come into view together cost one API call instead of a media request each (in Chromium a
 * request is a few milliseconds of CPU across its processes, which a scrolling gallery on two
 * cores does not have). Keeps about the last `capacity` answers.
 */
export interface ThumbBatcherOptions {
  /** One call for up to `batch` names; answers in the same order (null: none to be had). */
  fetch(names: string[]): Promise<(string | null)[]>;
  /** An answer arrived (null: none), or it was let go and may be asked for again (undefined). */
  deliver(name: string, uri: string | null | undefined): void;
  batch: number;
  capacity: number;
  /** When to send what was asked for; a microtask by default. */
  schedule?: (run: () => void) => void;
  /** After a failed call, how long its names stay answered with null before they may be asked for again. */
  retryMs?: number;
  /** An answer younger than this is never let go, however many there are (default 5 s). */
  minAgeMs?: number;
  now?: () => number;
}

export class ThumbBatcher {
  readonly #o: ThumbBatcherOptions;
  readonly #queued = new Set<string>();
  readonly #inFlight = new Set<string>();
  /** Answered names and when, oldest first (a Map keeps insertion order). */
  readonly #held = new Map<string, number>();
  #scheduled = false;

  constructor(options: ThumbBatcherOptions) {
    this.#o = options;
  }

  /** Asks for `name` unless it is answered, asked for or on its way. */
  want(name: string): void {
    if (this.#held.has(name) || this.#queued.has(name) || this.#inFlight.has(name)) return;
    this.#queued.add(name);
    if (this.#scheduled) return;
    this.#scheduled = true;
    (this.#o.schedule ?? queueMicrotask)(() => this.#send());
  }

  #send(): void {
    this.#scheduled = false;
    const names = [...this.#queued];
    this.#queued.clear();
    for (let i = 0; i < names.length; i += this.#o.batch) {
      const chunk = names.slice(i, i + this.#o.batch);
      for (const n of chunk) this.#inFlight.add(n);
      this.#o.fetch(chunk).then(
        (uris) => this.#answer(chunk, chunk.map((_, j) => uris[j] ?? null)),
        () => {
          // The cards stay on their placeholders a while, then may ask again: not a call per
          // frame while the app is unreachable, and not a placeholder for good after one hiccup.
          this.#answer(chunk, chunk.map(() => null));
          setTimeout(() => this.#letGo(chunk), this.#o.retryMs ?? 3000);
        },
      );
    }
  }

  #answer(names: string[], uris: (string | null)[]): void {
    const now = (this.#o.now ?? performance.now.bind(performance))();
    for (const n of names) {
      this.#inFlight.delete(n);
      this.#held.set(n, now);
    }
    names.forEach((n, j) => this.#o.deliver(n, uris[j]));
    const minAge = this.#o.minAgeMs ?? 5000;
    const old: string[] = [];
    for (const [n, at] of this.#held) {
      if (this.#held.size - old.length <= this.#o.capacity || now - at < minAge) break;
      old.push(n);
    }
    this.#letGo(old);
  }

  #letGo(names: string[]): void {
    for (const n of names) {
      if (this.#held.delete(n)) this.#o.deliver(n, undefined);
    }
  }
}
