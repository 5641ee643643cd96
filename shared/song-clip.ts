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
 * The timeline point closest to `target` that leaves at least MIN_CLIP_SECONDS to play, or null
 * when there is none (no timeline, a song too short). Where the duration is unknown, the end of
 * the last analysed patch is the most the song is known to last.
 */
export function bestStretch(timeline: SongTimeline | null | undefined, duration: number | null | undefined, target: VA): Clip | null {
  const points = timeline?.points ?? [];
  if (points.length === 0) return null;
  let end = finite(duration) && duration > 0 ? duration : -Infinity;
  if (end === -Infinity) for (const p of points) if (finite(p.start)) end = Math.max(end, p.start + (finite(timeline!.patchSeconds) ? timeline!.patchSeconds : 0));
  let best: Clip | null = null;
  for (const p of points) {
    if (!finite(p.start) || p.start < 0 || !finite(p.valence) || !finite(p.arousal)) continue;
    if (end - p.start < MIN_CLIP_SECONDS) continue;
    const distance = Math.hypot(p.valence - target.valence, p.arousal - target.arousal);
    const better = !best || distance < best.distance - TIE || (distance <= best.distance + TIE && p.start < best.start);
    if (better) best = { start: p.start, valence: p.valence, arousal: p.arousal, distance };
  }
  return best;
}
