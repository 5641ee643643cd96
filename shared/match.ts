/**
 * Matching portraits to songs on the valence/arousal plane. Pure and deterministic: the same
 * portraits, songs and choices always give the same playlist.
 *
 * Rules:
 * - A portrait is represented by one face: the dominant one (largest area × detector
 *   confidence) unless the person picked another. A portrait without faces is matched by its
 *   picture mood (colour and light, shared/picture-mood.ts) unless the spec turns that off; a
 *   face always wins over it. Its confidence is low, so it is matched by distance alone: its
 *   quadrant is not put first, as a face's is in `match`.
 * - Every face and song is read with shared/emotion.ts (`faceReading`, `songReading`): the
 *   quadrant is where the V/A point lies, the same one the badge and the plane show.
 * - The goal sets a target point: `match` the face's own point (a neutral face asks for calm,
 *   centred songs); `lift` and `calm` move the point one step (GOAL_STEP) toward happy/excited
 *   or calm/relaxed, so faces keep their differences and the playlist spreads over the library
 *   instead of sending everything to one corner.
 * - `match` ranks songs in the target's quadrant first; every goal then ranks by distance on
 *   the plane, where a song the music model is unsure of counts as farther away.
 * - No song is used more than `maxUses` times (automatic: one more than an even share). Among
 *   the good candidates still under that limit, the least used wins, so songs spread.
 * - A song with an emotion timeline starts at its stretch closest to the same target
 *   (shared/song-clip.ts), unless the person asks for songs from the beginning.
 */
import { clamp1, faceReading, faceWeight, QUADRANT_INFO, QUADRANT_NAME, quadrantOfPoint, songReading, type FaceQuadrant, type MusicQuadrant, type PersonReading, type Quadrant, type VA } from './emotion.ts';
import { pictureMoodReading, type PictureMood, type ReadingKind } from './picture-mood.ts';
import { bestStretch, type Clip } from './song-clip.ts';
import { formatClock } from './clock.ts';
import type { SongTimeline } from './api.ts';

export { faceWeight };
export type { ReadingKind };

export const MATCH_MODES = ['match', 'lift', 'calm'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];
export const PLAYLIST_ORDERS = ['gallery', 'arc'] as const;
export type PlaylistOrder = (typeof PLAYLIST_ORDERS)[number];
/** Where a matched song starts: its best-fitting stretch, or the beginning. */
export const START_AT = ['stretch', 'beginning'] as const;
export type StartAt = (typeof START_AT)[number];

export interface MatchFace {
  box: [number, number, number, number];
  score: number;
  quadrant: FaceQuadrant;
  probs: Record<FaceQuadrant, number>;
  valence: number;
  arousal: number;
  /** A person's reading, used instead of the model's. */
  correction?: PersonReading | null;
}

export interface MatchPortrait {
  id: number;
  path: string;
  faces: MatchFace[];
  /** The picture's mood from colour and light; used only when it has no face. */
  mood?: PictureMood | null;
}

export interface MatchSong {
  id: number;
  path: string;
  quadrant: MusicQuadrant | null;
  probs: Record<MusicQuadrant, number> | null;
  valence: number | null;
  arousal: number | null;
  /** A person's reading, used instead of the model's. */
  correction?: PersonReading | null;
  /** Seconds; bounds where a clip may start. */
  duration?: number | null;
  /** The model's reading stretch by stretch; where the song starts for a portrait. */
  timeline?: SongTimeline | null;
}

export interface Candidate {
  songId: number;
  sameQuadrant: boolean;
  /** Euclidean distance on the plane between the target and the song. */
  distance: number;
  /** Distance plus the song's uncertainty; what candidates are ranked by after quadrant. */
  score: number;
  /** The song's reading (quadrant of its point) and point, for the plain-words reason. */
  quadrant: Quadrant;
  valence: number;
  arousal: number;
  /** The song's stretch closest to the target; null without a timeline, or when songs start at the beginning. */
  clip: Clip | null;
}

export interface PlaylistEntry {
  portraitId: number;
  /** Index of the face that represents the portrait, or null when it has none. */
  faceIndex: number | null;
  /** What chose the song: the portrait's face, its picture mood (no face found), or nothing. */
  readingKind: ReadingKind | null;
  /**
   * The reading's quadrant (shared/emotion.ts faceReading, or pictureMoodReading when readingKind
   * is 'picture-mood'): the quadrant its point lies in. `face` is its point.
   */
  faceQuadrant: Quadrant | null;
  face: VA | null;
  target: VA | null;
  targetQuadrant: Quadrant | null;
  songId: number | null;
  /** 1-based rank of the chosen song among this portrait's candidates. */
  rank: number | null;
  candidates: Candidate[];
  /** Why this song, or why no song, in one plain sentence for a person. */
  reason: string;
  /** The goal the target was set by. */
  goal?: MatchMode;
  /** Seconds into the chosen song where it starts playing for this portrait; 0 from the beginning. */
  clipStart: number;
}

/** How far `lift` and `calm` move the target toward their quadrant's centre, on the [-1, 1] axes. */
export const GOAL_STEP = 0.5;
/** A neutral face is matched to this calm, near-centre point. */
export const NEUTRAL_TARGET: VA = { valence: 0.2, arousal: -0.25 };
/** Weight of the music model's uncertainty (1 − top probability) in a candidate's score. */
export const UNCERTAINTY_WEIGHT = 0.3;
/** Candidates kept per portrait for swapping. */
export const KEEP_CANDIDATES = 12;
/** Candidates considered per portrait when the best ones are used up. */
const RANK_LIMIT = 200;
/** A candidate this much worse than the best still available counts as good enough to spread to. */
const SPREAD_SLACK = 0.25;

export function dominantFace(faces: MatchFace[]): number | null {
  let best: number | null = null;
  for (let i = 0; i < faces.length; i++) if (best === null || faceWeight(faces[i]!) > faceWeight(faces[best]!)) best = i;
  return best;
}

export function targetFor(face: VA & { quadrant: Quadrant }, mode: MatchMode): { point: VA; quadrant: Quadrant } {
  if (mode === 'match') {
    return face.quadrant === 'N' ? { point: NEUTRAL_TARGET, quadrant: 'Q4' } : { point: { valence: face.valence, arousal: face.arousal }, quadrant: face.quadrant };
  }
  const goal = QUADRANT_INFO[mode === 'lift' ? 'Q1' : 'Q4'].centre;
  const dv = goal.valence - face.valence;
  const da = goal.arousal - face.arousal;
  const d = Math.hypot(dv, da);
  const k = d > GOAL_STEP ? GOAL_STEP / d : 1;
  const point = { valence: clamp1(face.valence + k * dv), arousal: clamp1(face.arousal + k * da) };
  return { point, quadrant: quadrantOfPoint(point, 0) };
}

/** A song's reading and confidence, worked out once per playlist rather than once per portrait. */
export interface RankableSong {
  id: number;
  quadrant: Quadrant;
  valence: number;
  arousal: number;
  confidence: number;
}

export function rankable(songs: readonly MatchSong[]): RankableSong[] {
  const out: RankableSong[] = [];
  for (const s of songs) {
    const r = songReading(s);
    if (!r || !s.quadrant) continue;
    // A reading the person set carries no model uncertainty.
    const confidence = s.correction ? 1 : s.probs ? Math.max(...Object.values(s.probs)) : 0.5;
    out.push({ id: s.id, quadrant: r.quadrant, valence: r.valence, arousal: r.arousal, confidence });
  }
  return out;
}

export function rankSongs(target: VA, quadrant: Quadrant, songs: MatchSong[], quadrantFirst = true): Candidate[] {
  return rankTop(target, quadrant, rankable(songs), quadrantFirst, Infinity);
}

/**
 * The best `limit` songs for a target, in rank order (same quadrant first where asked, then
 * score, then id): the same as sorting them all and keeping the head, but a selection pass finds
 * the head first, so 20,000 portraits × 5,000 songs never sorts 5,000 songs 20,000 times.
 */
export function rankTop(target: VA, quadrant: Quadrant, songs: readonly RankableSong[], quadrantFirst: boolean, limit: number): Candidate[] {
  const n = songs.length;
  const distance = new Float64Array(n);
  const score = new Float64Array(n);
  const same = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = songs[i]!;
    distance[i] = Math.hypot(s.valence - target.valence, s.arousal - target.arousal);
    score[i] = distance[i]! + UNCERTAINTY_WEIGHT * (1 - s.confidence);
    same[i] = s.quadrant === quadrant ? 1 : 0;
  }
  const cmp = (a: number, b: number): number => (quadrantFirst ? same[b]! - same[a]! : 0) || score[a]! - score[b]! || songs[a]!.id - songs[b]!.id;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const k = Math.min(n, limit);
  if (k < n) selectSmallest(idx, k, cmp);
  const head = Array.from(idx.subarray(0, k)).sort(cmp);
  return head.map((i) => {
    const s = songs[i]!;
    return { songId: s.id, sameQuadrant: same[i] === 1, distance: distance[i]!, score: score[i]!, quadrant: s.quadrant, valence: s.valence, arousal: s.arousal, clip: null };
  });
}

/** Rearranges `idx` so its first `k` entries are the k smallest under `cmp` (in no order): quickselect. */
function selectSmallest(idx: Int32Array, k: number, cmp: (a: number, b: number) => number): void {
  let lo = 0;
  let hi = idx.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    // Median of three as the pivot keeps sorted or clustered input from going quadratic.
    if (cmp(idx[mid]!, idx[lo]!) < 0) swap(idx, mid, lo);
    if (cmp(idx[hi]!, idx[lo]!) < 0) swap(idx, hi, lo);
    if (cmp(idx[hi]!, idx[mid]!) < 0) swap(idx, hi, mid);
    const pivot = idx[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (cmp(idx[i]!, pivot) < 0) i++;
      while (cmp(idx[j]!, pivot) > 0) j--;
      if (i <= j) swap(idx, i++, j--);
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else return;
  }
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** The automatic limit: one more than an even share of the library, so repeats stay rare. */
export function autoMaxUses(matchable: number, songs: number): number {
  return songs === 0 ? 1 : Math.ceil(matchable / songs) + 1;
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
  /** The most times one song may be used; absent: autoMaxUses. */
  maxUses?: number;
  /** Match portraits without a face by their picture mood; absent: on. */
  pictureMood?: boolean;
  /** Where matched songs start; absent: their best-fitting stretch. */
  startAt?: StartAt;
}

export function buildPlaylist(portraits: MatchPortrait[], songs: MatchSong[], options: PlaylistOptions): PlaylistEntry[] {
  const usable = songs.filter((s) => s.quadrant && s.valence !== null && s.arousal !== null);
  const rankableSongs = rankable(usable);
  const ranked = new Map<number, Candidate[]>();
  const songById = new Map(usable.map((s) => [s.id, s]));
  // Only the candidates a portrait keeps are looked at: a whole library's timelines per portrait would be wasted work.
  const placeClips = (candidates: Candidate[], target: VA): Candidate[] => {
    if (options.startAt === 'beginning') return candidates;
    for (const c of candidates) {
      const s = songById.get(c.songId);
      c.clip = s ? bestStretch(s.timeline, s.duration, target) : null;
    }
    return candidates;
  };
  const entries: PlaylistEntry[] = portraits.map((p) => {
    const picked = options.faceChoice?.[p.id];
    const faceIndex = picked !== undefined && p.faces[picked] ? picked : dominantFace(p.faces);
    const mood = faceIndex === null && options.pictureMood !== false && p.mood ? p.mood : null;
    if (faceIndex === null && !mood) {
      const reason = p.mood ? 'No face was found, and picture moods are turned off.' : 'No face was found, so there is no emotion to match.';
      return { portraitId: p.id, faceIndex: null, readingKind: null, faceQuadrant: null, face: null, target: null, targetQuadrant: null, songId: null, rank: null, candidates: [], reason, clipStart: 0 };
    }
    const reading = mood ? pictureMoodReading(mood) : faceReading(p.faces[faceIndex!]!);
    const { point, quadrant } = targetFor({ valence: reading.valence, arousal: reading.arousal, quadrant: reading.quadrant }, options.mode);
    // A picture mood is too unsure of its quadrant to be held to it: distance alone ranks.
    const all = rankTop(point, quadrant, rankableSongs, options.mode === 'match' && !mood, RANK_LIMIT);
    ranked.set(p.id, all);
    return {
      portraitId: p.id,
      faceIndex,
      readingKind: mood ? 'picture-mood' : 'faces',
      faceQuadrant: reading.quadrant,
      face: { valence: reading.valence, arousal: reading.arousal },
      target: point,
      targetQuadrant: quadrant,
      songId: null,
      rank: null,
      candidates: placeClips(all.slice(0, KEEP_CANDIDATES), point),
      reason: '',
      goal: options.mode,
      clipStart: 0,
    };
  });
  if (options.order === 'arc') {
    entries.sort((a, b) => {
      if (!a.target || !b.target) return Number(!a.target) - Number(!b.target) || a.portraitId - b.portraitId;
      return arcAngle(a.target) - arcAngle(b.target) || a.portraitId - b.portraitId;
    });
  }
  const matchable = entries.filter((e) => e.target).length;
  const cap = options.maxUses ?? autoMaxUses(matchable, usable.length);
  const uses = new Map<number, number>();
  const used = (id: number) => uses.get(id) ?? 0;
  for (const e of entries) {
    if (!e.target) continue;
    const all = ranked.get(e.portraitId)!;
    if (all.length === 0) {
      e.reason = 'The music library has no analysed songs to choose from.';
      continue;
    }
    const open = all.filter((c) => used(c.songId) < cap);
    if (open.length === 0) {
      e.reason = `Every close song is already used ${cap} time${cap === 1 ? '' : 's'}, the most allowed per song.`;
      continue;
    }
    const same = options.mode === 'match' && e.readingKind === 'faces' ? open.filter((c) => c.sameQuadrant) : [];
    const pool = same.length ? same : open;
    const good = pool.filter((c) => c.score <= pool[0]!.score + SPREAD_SLACK);
    // The best good candidate among the least-used ones: unused first, then spread repeats.
    const fewest = Math.min(...good.map((c) => used(c.songId)));
    const pick = good.find((c) => used(c.songId) === fewest)!;
    const index = all.indexOf(pick);
    if (index >= e.candidates.length) e.candidates = placeClips(all.slice(0, index + 1), e.target);
    choose(e, index, index === 0 ? 'best' : 'spread');
    uses.set(pick.songId, used(pick.songId) + 1);
  }
  return entries;
}

const FACE_WORD: Record<Quadrant, string> = { Q1: 'Happy', Q2: 'Tense', Q3: 'Sad', Q4: 'Calm', N: 'Neutral' };

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${s}`;
}

/** "gentle, calm track": a song's energy and mood in words. */
export function songWords(c: { quadrant: Quadrant; arousal: number }): string {
  const a = c.arousal;
  const energy = a < -0.5 ? 'gentle' : a < -0.15 ? 'quiet' : a < 0.15 ? 'steady' : a < 0.5 ? 'lively' : 'energetic';
  return `${energy}, ${QUADRANT_NAME[c.quadrant]} track`;
}

/** Points an entry at its `index`-th candidate and explains the choice in one plain sentence. */
export function choose(e: PlaylistEntry, index: number, why: 'best' | 'spread' | 'picked' = 'picked'): void {
  const c = e.candidates[index];
  if (!c) return;
  e.songId = c.songId;
  e.rank = index + 1;
  e.clipStart = c.clip && c.clip.start > 0 ? c.clip.start : 0;
  const face = `${FACE_WORD[e.faceQuadrant ?? 'N']} ${e.readingKind === 'picture-mood' ? 'picture mood (colour and light, no face)' : 'face'}`;
  const goal = e.target && e.face ? goalWords(e) : '';
  // "Best", not "closest": candidates are ranked by distance plus the song model's uncertainty.
  const which = index === 0 ? 'the best fit' : `${ordinal(index + 1)}-best fit, ${why === 'picked' ? 'your pick' : 'to avoid repeats'}`;
  // Only a face under the "match" goal is held to its own quadrant; only then does the app's own
  // choice of a song outside it need a reason, and the reason given must be the one that applied.
  const held = e.goal === 'match' && e.readingKind === 'faces';
  const outside = held && why !== 'picked' && !c.sameQuadrant && e.targetQuadrant
    ? e.candidates.some((x) => x.sameQuadrant)
      ? ` (every ${QUADRANT_NAME[e.targetQuadrant]} song is already used as often as allowed)`
      : ` (no ${QUADRANT_NAME[e.targetQuadrant]} song in the library)`
    : '';
  e.reason = `${face}${goal} → ${songWords(c)}; ${which}${outside}${e.clipStart > 0 ? `; from ${formatClock(e.clipStart)}, where it comes closest to ${aimWords(e)}` : ''}.`;
}

/** What the clip was chosen to come close to, in the words the reason uses. */
function aimWords(e: PlaylistEntry): string {
  if (e.goal === 'lift') return 'the lifted mood';
  if (e.goal === 'calm') return 'the calmer mood';
  return e.readingKind === 'picture-mood' ? "the picture's mood" : 'the face';
}

function goalWords(e: PlaylistEntry): string {
  if (e.goal === 'lift') return ', lifted a step';
  if (e.goal === 'calm') return ', calmed a step';
  return '';
}

/** The next candidate for an entry, wrapping around: the "swap song" action. */
export function swapSong(e: PlaylistEntry): void {
  if (e.candidates.length === 0) return;
  choose(e, (e.rank ?? 0) % e.candidates.length, 'picked');
}

export interface PlaylistStats {
  pairs: number;
  /** How many different songs the playlist uses. */
  distinct: number;
  /** The most-used song and how often it is used; null for an empty playlist. */
  worst: { songId: number; uses: number } | null;
}

export function playlistStats(entries: readonly PlaylistEntry[]): PlaylistStats {
  const uses = new Map<number, number>();
  for (const e of entries) if (e.songId !== null) uses.set(e.songId, (uses.get(e.songId) ?? 0) + 1);
  let worst: PlaylistStats['worst'] = null;
  for (const [songId, n] of uses) if (!worst || n > worst.uses || (n === worst.uses && songId < worst.songId)) worst = { songId, uses: n };
  return { pairs: [...uses.values()].reduce((a, b) => a + b, 0), distinct: uses.size, worst };
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
  /** The most times one song may be used; absent: automatic (autoMaxUses). */
  maxUses?: number;
  /** Portraits without a face get songs by their picture mood; absent: on. */
  pictureMood?: boolean;
  /** Where matched songs start; absent: their best-fitting stretch. */
  startAt?: StartAt;
}

export const defaultSpec = (): PlaylistSpec => ({ mode: 'match', order: 'gallery', faceChoice: {}, picks: {}, sequence: [] });

export function playlistFromSpec(portraits: MatchPortrait[], songs: MatchSong[], spec: PlaylistSpec): PlaylistEntry[] {
  const entries = buildPlaylist(portraits, songs, {
    mode: spec.mode, order: spec.order, faceChoice: spec.faceChoice,
    ...(spec.maxUses !== undefined ? { maxUses: spec.maxUses } : {}),
    ...(spec.pictureMood !== undefined ? { pictureMood: spec.pictureMood } : {}),
    ...(spec.startAt !== undefined ? { startAt: spec.startAt } : {}),
  });
  for (const e of entries) {
    const rank = spec.picks[e.portraitId];
    if (rank !== undefined && rank >= 1 && rank <= e.candidates.length) choose(e, rank - 1);
  }
  if (spec.sequence.length === 0) return entries;
  const at = new Map(spec.sequence.map((id, i) => [id, i]));
  const placed = entries.filter((e) => at.has(e.portraitId)).sort((a, b) => at.get(a.portraitId)! - at.get(b.portraitId)!);
  return [...placed, ...entries.filter((e) => !at.has(e.portraitId))];
}
