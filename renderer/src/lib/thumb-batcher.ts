/**
 * Collects the thumbnails asked for within one task and fetches them in batches: the cards that
 * come into view together cost one API call instead of a media request each (in Chromium a
 * request is a few milliseconds of CPU across its processes, which a scrolling gallery on two
 * cores does not have). Keeps the most recent `capacity` answers.
 */
export interface ThumbBatcherOptions {
  /** One call for up to `batch` names; answers in the same order (null: none to be had). */
  fetch(names: string[]): Promise<(string | null)[]>;
  /** An answer arrived (or was dropped from the cache: undefined). */
  deliver(name: string, uri: string | null | undefined): void;
  batch: number;
  capacity: number;
  /** When to send what was asked for; a microtask by default. */
  schedule?: (run: () => void) => void;
}

export class ThumbBatcher {
  readonly #o: ThumbBatcherOptions;
  readonly #queued = new Set<string>();
  readonly #inFlight = new Set<string>();
  /** Answered names, oldest first (a Map keeps insertion order). */
  readonly #held = new Map<string, true>();
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
      this.#o
        .fetch(chunk)
        // A failed call leaves its cards on their placeholders rather than asking again forever.
        .catch(() => chunk.map(() => null))
        .then((uris) => chunk.forEach((n, j) => this.#answer(n, uris[j] ?? null)));
    }
  }

  #answer(name: string, uri: string | null): void {
    this.#inFlight.delete(name);
    this.#held.set(name, true);
    this.#o.deliver(name, uri);
    for (const old of this.#held.keys()) {
      if (this.#held.size <= this.#o.capacity) break;
      this.#held.delete(old);
      this.#o.deliver(old, undefined);
    }
  }
}
