/**
 * Where in a song to start it for a portrait: the stretch of its emotion timeline (shared/api.ts
 * SongTimeline) that reads closest to the point the playlist aims at. Pure, so the app's
 * playlist and the export agree.
 */
import type { SongTimeline } from './api.ts';
import type { VA } from './emotion.ts';

/** A start that leaves less song than this would end before the portrait has been looked at. */
export const MIN_CLIP_SECONDS = 10;
/** Distances this close count as a tie (float noise), and a tie goes to the earlier stretch. */
const TIE = 1e-9;

export interface Clip {
  /** Seconds into the track. */
  start: number;
  valence: number;
  arousal: number;
  /** From the target, on the plane. */
  distance: number;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * A song's possible starts as [start, valence, arousal] triples: the timeline points that leave at
 * least MIN_CLIP_SECONDS to play (where the duration is unknown, the end of the last analysed patch
 * is the most the song is known to last). Checked once: a playlist asks the same song for many
 * portraits' targets (closestStretch).
 */
export function stretchTable(timeline: SongTimeline | null | undefined, duration: number | null | undefined): Float64Array {
  const points = timeline?.points ?? [];
  if (points.length === 0) return new Float64Array(0);
  let end = finite(duration) && duration > 0 ? duration : -Infinity;
  if (end === -Infinity) for (const p of points) if (finite(p.start)) end = Math.max(end, p.start + (finite(timeline!.patchSeconds) ? timeline!.patchSeconds : 0));
  const out: number[] = [];
  for (const p of points) {
    if (!finite(p.start) || p.start < 0 || !finite(p.valence) || !finite(p.arousal)) continue;
    if (end - p.start < MIN_CLIP_SECONDS) continue;
    out.push(p.start, p.valence, p.arousal);
  }
  return Float64Array.from(out);
}

/** The entry of a stretchTable closest to `target`, or null when it has none; a tie goes to the earlier start. */
export function closestStretch(table: Float64Array, target: VA): Clip | null {
  let at = -1;
  let bestDistance = Infinity;
  for (let i = 0; i < table.length; i += 3) {
    const dv = table[i + 1]! - target.valence;
    const da = table[i + 2]! - target.arousal;
    const distance = Math.sqrt(dv * dv + da * da);
    if (at < 0 || distance < bestDistance - TIE || (distance <= bestDistance + TIE && table[i]! < table[at]!)) {
      at = i;
      bestDistance = distance;
    }
  }
  return at < 0 ? null : { start: table[at]!, valence: table[at + 1]!, arousal: table[at + 2]!, distance: bestDistance };
}
