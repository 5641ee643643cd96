/**
 * A song's emotion timeline drawn small: two SVG polylines (energy and mood over time) and one
 * sentence that says the same for people who cannot see them. Pure and cheap (one pass, at most
 * one point per pixel column), so a table can draw it for every row it shows.
 */
import type { SongTimeline } from './api.ts';
import { QUADRANT_NAME, quadrantOfPoint, type VA } from './emotion.ts';
import { formatClock } from './clock.ts';

export interface TimelineSketch {
  /** SVG path data in a `width` × `height` box: +1 at the top, −1 at the bottom. */
  arousal: string;
  valence: string;
  /** "Energy and mood over time: rises from calm to tense at 1:10". */
  label: string;
}

/** Below this move on the plane between the song's two halves (split where they differ most), it reads as steady. */
export const STEADY = 0.25;
/** An arousal change smaller than this is not called rising or falling. */
const AXIS_MOVE = 0.15;

const r1 = (x: number): number => Math.round(x * 10) / 10;

export function sketchTimeline(t: SongTimeline, width: number, height: number, duration?: number | null): TimelineSketch {
  const pts = t.points;
  const last = pts[pts.length - 1];
  const end = Math.max(duration && duration > 0 ? duration : 0, last ? last.start + t.patchSeconds : 0, 1e-9);
  // One averaged point per pixel column: a long song's thousand patches cost the path no more than its width.
  const cols = new Map<number, { v: number; a: number; n: number }>();
  for (const p of pts) {
    const x = Math.min(width, Math.round(((p.start + t.patchSeconds / 2) / end) * width));
    const c = cols.get(x) ?? { v: 0, a: 0, n: 0 };
    c.v += p.valence;
    c.a += p.arousal;
    c.n++;
    cols.set(x, c);
  }
  const y = (u: number): number => r1(((1 - u) / 2) * height);
  const path = (pick: (c: { v: number; a: number; n: number }) => number): string => {
    const xs = [...cols.keys()];
    // A single reading still shows: a short flat stroke.
    if (xs.length === 1) return `M${Math.max(0, xs[0]! - 3)} ${y(pick(cols.get(xs[0]!)!))}h6`;
    return xs.map((x, i) => `${i ? 'L' : 'M'}${x} ${y(pick(cols.get(x)!))}`).join('');
  };
  return { arousal: path((c) => c.a / c.n), valence: path((c) => c.v / c.n), label: describeTimeline(t) };
}

const word = (p: VA): string => QUADRANT_NAME[quadrantOfPoint(p, 0)];

/**
 * The timeline in one sentence: where the song changes most (the split that best separates the
 * readings before it from those after), and from what to what; "steady" when nothing moves much.
 */
export function describeTimeline(t: SongTimeline): string {
  const pts = t.points;
  const n = pts.length;
  const head = 'Energy and mood over time: ';
  if (n === 0) return `${head}no readings`;
  const sumV = [0];
  const sumA = [0];
  for (const p of pts) {
    sumV.push(sumV.at(-1)! + p.valence);
    sumA.push(sumA.at(-1)! + p.arousal);
  }
  const mean = (i: number, j: number): VA => ({ valence: (sumV[j]! - sumV[i]!) / (j - i), arousal: (sumA[j]! - sumA[i]!) / (j - i) });
  const whole = mean(0, n);
  let best = { k: 0, score: 0 };
  for (let k = 1; k < n; k++) {
    const b = mean(0, k);
    const a = mean(k, n);
    // Weighted by both sides' sizes, so one odd patch at an end does not count as the song's turn.
    const score = ((k * (n - k)) / n) * Math.hypot(a.valence - b.valence, a.arousal - b.arousal) ** 2;
    if (score > best.score) best = { k, score };
  }
  if (best.k === 0) return `${head}steady, ${word(whole)} throughout`;
  const before = mean(0, best.k);
  const after = mean(best.k, n);
  const dv = after.valence - before.valence;
  const da = after.arousal - before.arousal;
  if (Math.hypot(dv, da) < STEADY) return `${head}steady, ${word(whole)} throughout`;
  const at = formatClock(pts[best.k]!.start);
  const from = word(before);
  const to = word(after);
  if (from === to) {
    const verb = Math.abs(da) >= Math.abs(dv) ? (da > 0 ? 'builds up' : 'settles') : dv > 0 ? 'brightens' : 'darkens';
    return `${head}${verb} at ${at}, staying ${from}`;
  }
  const verb = da > AXIS_MOVE ? 'rises' : da < -AXIS_MOVE ? 'falls' : 'turns';
  return `${head}${verb} from ${from} to ${to} at ${at}`;
}
