/**
 * The music table's small timelines, drawn once per timeline: a row that scrolls back into view,
 * or a table re-sorted, reuses the path strings instead of recomputing them. Keyed weakly by the
 * timeline object, so songs replaced or removed take their sketches with them.
 */
import type { SongTimeline } from '../../../shared/api.ts';
import { sketchTimeline, type TimelineSketch } from '../../../shared/timeline-sketch.ts';

export const SPARK_W = 80;
export const SPARK_H = 22;

const cache = new WeakMap<SongTimeline, TimelineSketch>();

export function sketchFor(timeline: SongTimeline, duration: number | null): TimelineSketch {
  let s = cache.get(timeline);
  if (!s) {
    s = sketchTimeline(timeline, SPARK_W, SPARK_H, duration);
    cache.set(timeline, s);
  }
  return s;
}
