/**
 * A song's emotion timeline as the catalog keeps it (songs.timeline_json). What comes back out
 * is checked again, since a catalog outlives the code that wrote it: anything unreadable reads
 * as "no timeline" rather than failing the whole music folder.
 */
import type { SongTimeline, TimelinePoint } from '../../../shared/api.ts';
import { clamp1 } from '../../../shared/emotion.ts';

/** More points than any real track gives at one per patch; bounds what one row can cost the page. */
export const MAX_TIMELINE_POINTS = 20_000;

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export function timelineToJson(timeline: SongTimeline | null): string | null {
  const clean = timeline && checkTimeline(timeline);
  return clean ? JSON.stringify(clean) : null;
}

export function parseTimeline(json: string | null): SongTimeline | null {
  if (!json) return null;
  try {
    return checkTimeline(JSON.parse(json));
  } catch {
    return null;
  }
}

/** Keeps the points that make sense (finite, start ≥ 0), axes clamped to [-1, 1], in time order; null when none are left. */
export function checkTimeline(raw: unknown): SongTimeline | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { patchSeconds, points } = raw as { patchSeconds?: unknown; points?: unknown };
  if (!finite(patchSeconds) || patchSeconds <= 0 || !Array.isArray(points)) return null;
  const kept: TimelinePoint[] = [];
  for (const p of points.slice(0, MAX_TIMELINE_POINTS) as unknown[]) {
    if (typeof p !== 'object' || p === null) continue;
    const { start, valence, arousal } = p as Record<string, unknown>;
    if (!finite(start) || start < 0 || !finite(valence) || !finite(arousal)) continue;
    kept.push({ start, valence: clamp1(valence), arousal: clamp1(arousal) });
  }
  if (kept.length === 0) return null;
  kept.sort((a, b) => a.start - b.start);
  return { patchSeconds, points: kept };
}
