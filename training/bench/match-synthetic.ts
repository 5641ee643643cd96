/**
 * Synthetic portraits and songs for timing the matcher at archive size (shared/match.ts), without
 * a catalog: faces and songs spread over the plane, songs with an emotion timeline of 3-s patches.
 */
import { defaultSpec, MATCH_MODES, playlistFromSpec, type MatchMode, type MatchPortrait, type MatchSong, type PlaylistEntry } from '../../shared/match.ts';
import { rng } from '../../electron/engine/ml/rng.ts';


const QS = ['Q1', 'Q2', 'Q3', 'Q4'] as const;

function quadrantOf(v: number, a: number): (typeof QS)[number] {
  return v >= 0 ? (a >= 0 ? 'Q1' : 'Q4') : a >= 0 ? 'Q2' : 'Q3';
}

export function syntheticCollection(portraits: number, songs: number, seed = 1): { portraits: MatchPortrait[]; songs: MatchSong[] } {
  const r = rng(seed);
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

/** Builds the playlist for every goal once, as the app does (playlistFromSpec), and times each; `each` sees its pairs. */
export function timeGoals(portraits: MatchPortrait[], songs: MatchSong[], each?: (mode: MatchMode, entries: PlaylistEntry[]) => void): Record<MatchMode, number> {
  const ms = {} as Record<MatchMode, number>;
  for (const mode of MATCH_MODES) {
    const t = performance.now();
    const entries = playlistFromSpec(portraits, songs, { ...defaultSpec(), mode });
    ms[mode] = performance.now() - t;
    each?.(mode, entries);
  }
  return ms;
}
