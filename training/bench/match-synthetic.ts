/**
 * Synthetic portraits and songs for timing the matcher at archive size (shared/match.ts), without
 * a catalog: faces and songs spread over the plane, songs with an emotion timeline of 3-s patches.
 */
import type { MatchPortrait, MatchSong } from '../../shared/match.ts';

/** A small deterministic generator (mulberry32), so every run times the same collection. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const QS = ['Q1', 'Q2', 'Q3', 'Q4'] as const;

function quadrantOf(v: number, a: number): (typeof QS)[number] {
  return v >= 0 ? (a >= 0 ? 'Q1' : 'Q4') : a >= 0 ? 'Q2' : 'Q3';
}

export function syntheticCollection(portraits: number, songs: number, seed = 1): { portraits: MatchPortrait[]; songs: MatchSong[] } {
  const r = random(seed);
  const pt = (): number => Math.max(-1, Math.min(1, (r() * 2 - 1) * 0.9));
  const ps: MatchPortrait[] = [];
  for (let i = 0; i < portraits; i++) {
    const faces = r() < 0.1 ? [] : [{ box: [0, 0, 100, 120] as [number, number, number, number], score: 0.9, quadrant: 'N' as const, probs: { Q1: 0.2, Q2: 0.2, Q3: 0.2, N: 0.4 }, valence: pt(), arousal: pt() }];
    ps.push({ id: i + 1, path: `/p/${i}.jpg`, faces, mood: { valence: pt() * 0.5, arousal: pt() * 0.5, confidence: 0.3 } as never });
  }
  const ss: MatchSong[] = [];
  for (let i = 0; i < songs; i++) {
    const v = pt();
    const a = pt();
    const q = quadrantOf(v, a);
    const top = 0.4 + r() * 0.5;
    const probs = { Q1: (1 - top) / 3, Q2: (1 - top) / 3, Q3: (1 - top) / 3, Q4: (1 - top) / 3 };
    probs[q] = top;
    const duration = 120 + r() * 180;
    const points = [];
    for (let t = 0; t + 3 <= duration; t += 3) points.push({ start: t, valence: Math.max(-1, Math.min(1, v + (r() - 0.5) * 0.4)), arousal: Math.max(-1, Math.min(1, a + (r() - 0.5) * 0.4)) });
    ss.push({ id: i + 1, path: `/s/${i}.mp3`, quadrant: q, probs, valence: v, arousal: a, duration, timeline: { patchSeconds: 3, points } as never });
  }
  return { portraits: ps, songs: ss };
}
