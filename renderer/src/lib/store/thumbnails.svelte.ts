/**
 * The gallery's thumbnails as data: URIs, fetched in batches through the API (thumb-batcher.ts).
 * Reading one that is not here yet asks for it; the card shows its placeholder meanwhile.
 */
import { SvelteMap } from 'svelte/reactivity';
import { THUMB_BATCH } from '../../../../shared/api.ts';
import { ThumbBatcher } from '../thumb-batcher.ts';

/** About ten screens of cards: scrolling back a little finds them still here. */
const CAPACITY = 600;
/**
 * Two rows of cards a call: a row coming into view is one call, and a fresh screen (30 or so
 * cards) goes out as a few calls answered side by side, so its first pictures need not wait for
 * the last file of one big batch.
 */
const BATCH = 12;

class Thumbnails {
  readonly #uris = new SvelteMap<string, string | null>();
  readonly #batcher = new ThumbBatcher({
    fetch: (names) => window.api.readThumbnails({ names }),
    deliver: (name, uri) => (uri === undefined ? this.#uris.delete(name) : this.#uris.set(name, uri)),
    batch: Math.min(BATCH, THUMB_BATCH),
    capacity: CAPACITY,
  });

  /** The thumbnail's data: URI; null when it cannot be had; undefined while on its way. */
  uri(name: string): string | null | undefined {
    const uri = this.#uris.get(name);
    if (uri === undefined) this.#batcher.want(name);
    return uri;
  }
}

export const thumbnails = new Thumbnails();
