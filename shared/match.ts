/**
 * Matching portraits to songs on the valence/arousal plane. Pure and deterministic: the same
 * portraits, songs and choices always give the same playlist.
 *
 * Rules:
 * - A portrait is represented by one face: the dominant one (largest area × detector
 *   confidence) unless the person picked another. Portraits without faces are not matched:
 *   the whole image carries no emotion reading we could honestly use.
 * - The goal sets a target point: `match` the face's own point, `lift` a point moved toward
 *   happy/excited (Q1), `calm` a point moved toward calm/relaxed (Q4). A neutral face asks for
 *   calm, centred songs.
 * - Songs in the target's quadrant come first, then by distance on the plane, where a song the
 *   music model is unsure of counts as farther away.
 * - Over a gallery, a song is not used twice while unused good candidates (same quadrant, or
 *   the nearest few when the library has none there) remain.
 */
import { clamp1, quadrantOfPoint, QUADRANT_INFO, type FaceQuadrant, type MusicQuadrant, type Quadrant, type VA } from './emotion.ts';

export const MATCH_MODES = ['match', 'lift', 'calm'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];
export const PLAYLIST_ORDERS = ['gallery', 'arc'] as const;
export type PlaylistOrder = (typeof PLAYLIST_ORDERS)[number];

export interface MatchFace {
  box: [number, number, number, number];
  score: number;
  quadrant: FaceQuadrant;
  probs: Record<FaceQuadrant, number>;
  valence: number;
  arousal: number;
}

export interface MatchPortrait {
  id: number;
  path: string;
  faces: MatchFace[];
}

export interface MatchSong {
  id: number;
  path: string;
  quadrant: MusicQuadrant | null;
  probs: Record<MusicQuadrant, number> | null;
  valence: number | null;
  arousal: number | null;
}

export interface Candidate {
  songId: number;
  sameQuadrant: boolean;
  /** Euclidean distance on the plane between the target and the song. */
  distance: number;
  /** Distance plus the song's uncertainty; what candidates are ranked by after quadrant. */
  score: number;
}

export interface PlaylistEntry {
  portraitId: number;
  /** Index of the face that represents the portrait, or null when it has none. */
  faceIndex: number | null;
  faceQuadrant: FaceQuadrant | null;
  face: VA | null;
  target: VA | null;
  targetQuadrant: Quadrant | null;
  songId: number | null;
  /** 1-based rank of the chosen song among this portrait's candidates. */
  rank: number | null;
  candidates: Candidate[];
  /** Why this song, or why no song, in words for a person. */
  reason: string;
}

/** How far `lift` and `calm` move the target toward their quadrant's centre (0 = not at all). */
export const GOAL_PULL = 0.6;
/** A neutral face is matched to this calm, near-centre point. */
export const NEUTRAL_TARGET: VA = { valence: 0.2, arousal: -0.25 };
/** Weight of the music model's uncertainty (1 − top probability) in a candidate's score. */
export const UNCERTAINTY_WEIGHT = 0.3;
/** Candidates kept per portrait for swapping. */
export const KEEP_CANDIDATES = 12;
/** When the target quadrant has no song, the nearest this many count as good. */
const NEAREST_GOOD = 5;

export function faceWeight(face: MatchFace): number {
  return Math.max(1, face.box[2] * face.box[3]) * face.score;
}

export function dominantFace(faces: MatchFace[]): number | null {
  let best: number | null = null;
  for (let i = 0; i < faces.length; i++) if (best === null || faceWeight(faces[i]!) > faceWeight(faces[best]!)) best = i;
  return best;
}

export function targetFor(face: VA & { quadrant: FaceQuadrant }, mode: MatchMode): { point: VA; quadrant: Quadrant } {
  const start = face.quadrant === 'N' ? NEUTRAL_TARGET : { valence: face.valence, arousal: face.arousal };
  if (mode === 'match') {
    return face.quadrant === 'N' ? { point: start, quadrant: 'Q4' } : { point: start, quadrant: face.quadrant };
  }
  const goal = QUADRANT_INFO[mode === 'lift' ? 'Q1' : 'Q4'].centre;
  const point = {
    valence: clamp1(start.valence + GOAL_PULL * (goal.valence - start.valence)),
    arousal: clamp1(start.arousal + GOAL_PULL * (goal.arousal - start.arousal)),
  };
  const q = quadrantOfPoint(point, 0);
  return { point, quadrant: q };
}

export function rankSongs(target: VA, quadrant: Quadrant, songs: MatchSong[]): Candidate[] {
  const out: Candidate[] = [];
  for (const s of songs) {
    if (s.valence === null || s.arousal === null || !s.quadrant) continue;
    const distance = Math.hypot(s.valence - target.valence, s.arousal - target.arousal);
    const confidence = s.probs ? Math.max(...Object.values(s.probs)) : 0.5;
    out.push({ songId: s.id, sameQuadrant: s.quadrant === quadrant, distance, score: distance + UNCERTAINTY_WEIGHT * (1 - confidence) });
  }
  return out.sort((a, b) => Number(b.sameQuadrant) - Number(a.sameQuadrant) || a.score - b.score || a.songId - b.songId);
}

function goodCount(candidates: Candidate[]): number {
  const same = candidates.filter((c) => c.sameQuadrant).length;
  return same > 0 ? same : Math.min(NEAREST_GOOD, candidates.length);
}

/**
 * Counter-clockwise angle from the negative-valence axis, so an arc runs sad → calm → happy →
 * tense and ends back where anger meets sadness.
 */
function arcAngle(p: VA): number {
  return Math.atan2(p.arousal, p.valence) + Math.PI;
}

export interface PlaylistOptions {
  mode: MatchMode;
  order: PlaylistOrder;
  /** portrait id → face index the person picked. */
  faceChoice?: Record<number, number>;
}

export function buildPlaylist(portraits: MatchPortrait[], songs: MatchSong[], options: PlaylistOptions): PlaylistEntry[] {
  const usable = songs.filter((s) => s.quadrant && s.valence !== null && s.arousal !== null);
  const entries: PlaylistEntry[] = portraits.map((p) => {
    const picked = options.faceChoice?.[p.id];
    const faceIndex = picked !== undefined && p.faces[picked] ? picked : dominantFace(p.faces);
    if (faceIndex === null) {
      return { portraitId: p.id, faceIndex: null, faceQuadrant: null, face: null, target: null, targetQuadrant: null, songId: null, rank: null, candidates: [], reason: 'No face was found, so there is no emotion to match.' };
    }
    const face = p.faces[faceIndex]!;
    const { point, quadrant } = targetFor(face, options.mode);
    const candidates = rankSongs(point, quadrant, usable).slice(0, Math.max(KEEP_CANDIDATES, 0));
    return {
      portraitId: p.id,
      faceIndex,
      faceQuadrant: face.quadrant,
      face: { valence: face.valence, arousal: face.arousal },
      target: point,
      targetQuadrant: quadrant,
      songId: null,
      rank: null,
      candidates,
      reason: '',
    };
  });
  if (options.order === 'arc') {
    entries.sort((a, b) => {
      if (!a.target || !b.target) return Number(!a.target) - Number(!b.target) || a.portraitId - b.portraitId;
      return arcAngle(a.target) - arcAngle(b.target) || a.portraitId - b.portraitId;
    });
  }
  const uses = new Map<number, number>();
  for (const e of entries) {
    if (!e.target) continue;
    if (e.candidates.length === 0) {
      e.reason = 'The music library has no analysed songs to choose from.';
      continue;
    }
    const good = e.candidates.slice(0, goodCount(e.candidates));
    // The best good candidate among the least-used ones: unused first, then spread repeats.
    const fewest = Math.min(...good.map((c) => uses.get(c.songId) ?? 0));
    const i = good.findIndex((c) => (uses.get(c.songId) ?? 0) === fewest);
    choose(e, i);
    uses.set(e.songId!, (uses.get(e.songId!) ?? 0) + 1);
  }
  return entries;
}

/** Points an entry at its `index`-th candidate and explains the choice. */
export function choose(e: PlaylistEntry, index: number): void {
  const c = e.candidates[index];
  if (!c) return;
  e.songId = c.songId;
  e.rank = index + 1;
  const where = c.sameQuadrant ? `in ${e.targetQuadrant}, the target quadrant` : `nearest outside ${e.targetQuadrant} (the library has ${e.candidates.some((x) => x.sameQuadrant) ? 'no unused' : 'no'} song there)`;
  e.reason = `Rank ${index + 1}: ${where}, ${c.distance.toFixed(2)} from the target on the V/A plane.`;
}

/** The next candidate for an entry, wrapping around: the "swap song" action. */
export function swapSong(e: PlaylistEntry): void {
  if (e.candidates.length === 0) return;
  choose(e, (e.rank ?? 0) % e.candidates.length);
}

/** What the person changed in a playlist: enough to rebuild it exactly, small enough to validate. */
export interface PlaylistSpec {
  mode: MatchMode;
  order: PlaylistOrder;
  /** portrait id → face index the person picked. */
  faceChoice: Record<number, number>;
  /** portrait id → 1-based candidate rank the person swapped to. */
  picks: Record<number, number>;
  /** Portrait ids in the order the person arranged them; the rest keep their place after. */
  sequence: number[];
}

export const defaultSpec = (): PlaylistSpec => ({ mode: 'match', order: 'gallery', faceChoice: {}, picks: {}, sequence: [] });

export function playlistFromSpec(portraits: MatchPortrait[], songs: MatchSong[], spec: PlaylistSpec): PlaylistEntry[] {
  const entries = buildPlaylist(portraits, songs, { mode: spec.mode, order: spec.order, faceChoice: spec.faceChoice });
  for (const e of entries) {
    const rank = spec.picks[e.portraitId];
    if (rank !== undefined && rank >= 1 && rank <= e.candidates.length) choose(e, rank - 1);
  }
  if (spec.sequence.length === 0) return entries;
  const at = new Map(spec.sequence.map((id, i) => [id, i]));
  const placed = entries.filter((e) => at.has(e.portraitId)).sort((a, b) => at.get(a.portraitId)! - at.get(b.portraitId)!);
  return [...placed, ...entries.filter((e) => !at.has(e.portraitId))];
}
