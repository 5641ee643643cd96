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
 *   the good candidates still under that limit, the least used wins, so songs spread. When all of
 *   a portrait's RANK_LIMIT best songs are used that often, the next song in its ranking that is
 *   not gets it: a crowded goal on a large archive still gives every portrait a song.
 * - A song with an emotion timeline starts at its stretch closest to the same target
 *   (shared/song-clip.ts), unless the person asks for songs from the beginning.
 */
import { clamp1, faceReading, faceWeight, QUADRANT_INFO, QUADRANT_NAME, quadrantOfPoint, songReading, type FaceQuadrant, type MusicQuadrant, type PersonReading, type Quadrant, type VA } from './emotion.ts';
import { pictureMoodReading, type PictureMood, type ReadingKind } from './picture-mood.ts';
import { closestStretch, stretchTable, type Clip } from './song-clip.ts';
import { formatClock } from './clock.ts';
import { Head, SongIndex, songDistance, songScore, type Exclusion, type IndexedSong } from './song-index.ts';
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
  /** 1-based rank among all the library's songs for this target; absent: its place in the list. */
  rank?: number;
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
  /** 1-based rank of the chosen song among all songs for this portrait's target. */
  rank: number | null;
  /**
   * The songs a person can swap through: the KEEP_CANDIDATES best, and the chosen song after them
   * when repeats pushed the choice further down (20,000 portraits never carry 200 songs each).
   */
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
/** Candidates ranked per portrait at first; RANK_LIMIT only when the choice could lie beyond them. */
const FIRST_LOOK = 2 * KEEP_CANDIDATES;
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
  const d = Math.sqrt(dv * dv + da * da);
  const k = d > GOAL_STEP ? GOAL_STEP / d : 1;
  const point = { valence: clamp1(face.valence + k * dv), arousal: clamp1(face.arousal + k * da) };
  return { point, quadrant: quadrantOfPoint(point, 0) };
}

/** The library's songs with a reading, prepared once per playlist rather than once per portrait. */
export function rankable(songs: readonly MatchSong[]): SongIndex {
  const out: IndexedSong[] = [];
  for (const s of songs) {
    const r = songReading(s);
    if (!r || !s.quadrant || !Number.isFinite(r.valence) || !Number.isFinite(r.arousal)) continue;
    // A reading the person set carries no model uncertainty.
    const confidence = s.correction ? 1 : s.probs ? Math.max(...Object.values(s.probs)) : 0.5;
    out.push({ id: s.id, quadrant: r.quadrant, valence: r.valence, arousal: r.arousal, penalty: UNCERTAINTY_WEIGHT * (1 - confidence) });
  }
  return new SongIndex(out);
}

function candidate(s: IndexedSong, target: VA, same: boolean, rank: number): Candidate {
  const distance = songDistance(s, target);
  return { songId: s.id, sameQuadrant: same, distance, score: distance + s.penalty, quadrant: s.quadrant, valence: s.valence, arousal: s.arousal, clip: null, rank };
}

/** Every song ranked for a target (same quadrant first where asked, then score, then id): a full sort, for one portrait. */
export function rankSongs(target: VA, quadrant: Quadrant, songs: MatchSong[], quadrantFirst = true): Candidate[] {
  const all = rankable(songs).songs.map((s) => candidate(s, target, s.quadrant === quadrant, 0));
  all.sort((a, b) => (quadrantFirst ? Number(b.sameQuadrant) - Number(a.sameQuadrant) : 0) || a.score - b.score || a.songId - b.songId);
  all.forEach((c, i) => (c.rank = i + 1));
  return all;
}

/**
 * The best `limit` songs for a target, in rankSongs' order, found through the index: the same
 * head as the full sort, without scoring 5,000 songs for each of 20,000 portraits.
 */
export function rankTop(target: VA, quadrant: Quadrant, index: SongIndex, quadrantFirst: boolean, limit: number): Candidate[] {
  return rankHead(target, quadrant, index, quadrantFirst, limit).map((i, j) => {
    const s = index.songs[i]!;
    return candidate(s, target, s.quadrant === quadrant, j + 1);
  });
}

/** rankTop's songs as positions into `index.songs`: what the playlist works with until it keeps a candidate. */
function rankHead(target: VA, quadrant: Quadrant, index: SongIndex, quadrantFirst: boolean, limit: number): number[] {
  if (!quadrantFirst) return index.best(target, limit, () => true);
  const same = index.best(target, limit, (q) => q === quadrant);
  return same.length >= limit ? same : same.concat(index.best(target, limit - same.length, (q) => q !== quadrant));
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
  const index = rankable(usable);
  const songById = new Map(usable.map((s) => [s.id, s]));
  const tables = new Map<number, Float64Array>();
  // Only the candidates a portrait keeps are looked at: a whole library's timelines per portrait would be wasted work.
  const placeClips = (candidates: Candidate[], target: VA): Candidate[] => {
    if (options.startAt === 'beginning') return candidates;
    for (const c of candidates) {
      let table = tables.get(c.songId);
      if (!table) {
        const s = songById.get(c.songId);
        tables.set(c.songId, (table = stretchTable(s?.timeline, s?.duration)));
      }
      c.clip = closestStretch(table, target);
    }
    return candidates;
  };
  const heads = new Map<number, { quadrantFirst: boolean; positions: number[] }>();
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
    const quadrantFirst = options.mode === 'match' && !mood;
    const positions = rankHead(point, quadrant, index, quadrantFirst, FIRST_LOOK);
    heads.set(p.id, { quadrantFirst, positions });
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
      candidates: placeClips(positions.slice(0, KEEP_CANDIDATES).map((i, j) => candidate(index.songs[i]!, point, index.songs[i]!.quadrant === quadrant, j + 1)), point),
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
  // Uses per song, by position in the index, and which are used as often as allowed.
  const uses = new Int32Array(index.songs.length);
  const full = index.exclusion();
  const scratch = new Head(RANK_LIMIT);
  for (const e of entries) {
    if (!e.target) continue;
    const head = heads.get(e.portraitId)!;
    const look = { target: e.target, quadrant: e.targetQuadrant!, held: options.mode === 'match' && e.readingKind === 'faces' };
    if (head.positions.length === 0) {
      e.reason = 'The music library has no analysed songs to choose from.';
      continue;
    }
    const pick = pickFor(head, look, index, uses, cap, full, scratch);
    if (!pick) {
      e.reason = `Every song is already used ${cap} time${cap === 1 ? '' : 's'}, the most allowed per song.`;
      continue;
    }
    let place = pick.rank - 1;
    if (place >= e.candidates.length) {
      const s = index.songs[pick.position]!;
      e.candidates = e.candidates.concat(placeClips([candidate(s, e.target, s.quadrant === e.targetQuadrant, pick.rank)], e.target));
      place = e.candidates.length - 1;
    }
    choose(e, place, pick.rank === 1 ? 'best' : 'spread');
    if (++uses[pick.position]! >= cap) full.exclude(pick.position);
  }
  return entries;
}

/**
 * The song for one portrait and its rank: chosen among the head ranked at first, or among the
 * RANK_LIMIT best where songs past the head could change the choice, or, where none of those is
 * open, the first open song of the whole ranking (found before ranking the limit when the head
 * has none open either). The same as ranking RANK_LIMIT for every portrait.
 */
function pickFor(
  first: { quadrantFirst: boolean; positions: number[] },
  look: Look,
  index: SongIndex, uses: Int32Array, cap: number, full: Exclusion, scratch: Head,
): { position: number; rank: number } | null {
  const head = scratch;
  head.n = 0;
  for (const p of first.positions) {
    head.pos[head.n] = p;
    head.score[head.n] = index.scoreOf(p, look.target);
    head.group[head.n++] = first.quadrantFirst && index.quadrantOf[p] !== look.quadrant ? 1 : 0;
  }
  let choice = pickFrom(head, index, look, uses, cap);
  if (choice === 'more' && head.n === FIRST_LOOK) {
    if (first.positions.every((i) => uses[i]! >= cap)) {
      const open = firstOpen(look, first.quadrantFirst, index, full);
      if (!open || open.rank > RANK_LIMIT) return open;
    }
    collectHead(look.target, look.quadrant, index, first.quadrantFirst, RANK_LIMIT, head);
    choice = pickFrom(head, index, look, uses, cap);
  }
  if (choice === 'more') choice = pickFrom(head, index, look, uses, cap, true);
  return choice === null || choice === 'more' ? firstOpen(look, first.quadrantFirst, index, full) : { position: head.pos[choice]!, rank: rankIn(head, choice, index.idOf) };
}

interface Look {
  target: VA;
  quadrant: Quadrant;
  /** Held to the target's quadrant: its songs first, and chosen among them while any is open. */
  held: boolean;
}

/** rankHead's songs, unordered, into `head`: group 0 the target's quadrant where it comes first. */
function collectHead(target: VA, quadrant: Quadrant, index: SongIndex, quadrantFirst: boolean, limit: number, head: Head): void {
  head.n = 0;
  if (!quadrantFirst) return index.collect(target, limit, () => true, head, 0);
  index.collect(target, limit, (q) => q === quadrant, head, 0);
  if (head.n < limit) index.collect(target, limit - head.n, (q) => q !== quadrant, head, 1);
}

/** Whether head entry j ranks before entry k: a lower group, then a better score, then a smaller id. */
function ranksBefore(head: Head, j: number, k: number, ids: Float64Array): boolean {
  const gj = head.group[j]!;
  const gk = head.group[k]!;
  if (gj !== gk) return gj < gk;
  const sj = head.score[j]!;
  const sk = head.score[k]!;
  return sj < sk || (sj === sk && ids[head.pos[j]!]! < ids[head.pos[k]!]!);
}

/** Entry j's 1-based rank: the head holds the best songs of the ranking, so those before it are all in it. */
function rankIn(head: Head, j: number, ids: Float64Array): number {
  let rank = 1;
  for (let k = 0; k < head.n; k++) if (k !== j && ranksBefore(head, k, j, ids)) rank++;
  return rank;
}

/**
 * The first song in a target's whole ranking that is used less than `cap`, and its rank; null
 * when every song is used that often.
 */
function firstOpen(look: { target: VA; quadrant: Quadrant }, quadrantFirst: boolean, index: SongIndex, full: Exclusion): { position: number; rank: number } | null {
  const held = (q: Quadrant): boolean => q === look.quadrant;
  const other = (q: Quadrant): boolean => q !== look.quadrant;
  let position = index.firstOpen(look.target, quadrantFirst ? held : () => true, full);
  if (position < 0 && quadrantFirst) position = index.firstOpen(look.target, other, full);
  if (position < 0) return null;
  // Its rank among all songs, used or not: those of the held quadrant first, then score, then id.
  const p = index.songs[position]!;
  const score = songScore(p, look.target);
  if (!quadrantFirst) return { position, rank: index.countBefore(look.target, score, p.id, () => true) + 1 };
  if (held(p.quadrant)) return { position, rank: index.countBefore(look.target, score, p.id, held) + 1 };
  return { position, rank: index.count(held) + index.countBefore(look.target, score, p.id, other) + 1 };
}

/**
 * Which entry of `head` (the best songs of the full ranking, in any order) to use: among the
 * open songs (used less than `cap`; those of the target's quadrant when `held` and there are
 * any), the good ones (within SPREAD_SLACK of the best), and among them the least used, best
 * first. 'more' when songs past this head could change the answer and `final` is not set; null
 * when no song is open.
 */
function pickFrom(head: Head, index: SongIndex, look: Look, uses: Int32Array, cap: number, final = false): number | 'more' | null {
  const ids = index.idOf;
  const quadrantOf = index.quadrantOf;
  const n = head.n;
  // The pool: open songs, of the target's quadrant where held and any are open.
  let anyOpen = false;
  let sameOpen = false;
  for (let j = 0; j < n; j++) {
    const i = head.pos[j]!;
    if (uses[i]! >= cap) continue;
    anyOpen = true;
    if (look.held && quadrantOf[i] === look.quadrant) sameOpen = true;
  }
  if (!anyOpen) return final || n === 0 ? null : 'more';
  // The pool's best, and the head's last (songs past the head rank after it).
  let first = -1;
  let last = 0;
  for (let j = 0; j < n; j++) {
    if (j > 0 && ranksBefore(head, last, j, ids)) last = j;
    const i = head.pos[j]!;
    if (uses[i]! >= cap || (sameOpen && quadrantOf[i] !== look.quadrant)) continue;
    if (first < 0 || ranksBefore(head, j, first, ids)) first = j;
  }
  const limit = head.score[first]! + SPREAD_SLACK;
  // The best good candidate among the least-used ones: unused first, then spread repeats.
  let at = -1;
  for (let j = 0; j < n; j++) {
    const i = head.pos[j]!;
    if (uses[i]! >= cap || (sameOpen && quadrantOf[i] !== look.quadrant) || head.score[j]! > limit) continue;
    if (at < 0 || uses[i]! < uses[head.pos[at]!]! || (uses[i] === uses[head.pos[at]!] && ranksBefore(head, j, at, ids))) at = j;
  }
  // Songs past this head rank after `last`: held to the quadrant, they are of its quadrant only if
  // `last` is, and within a group they score no better than `last`. An unused good song here cannot be beaten.
  if (!final && uses[head.pos[at]!]! > 0) {
    const lastSame = quadrantOf[head.pos[last]!] === look.quadrant;
    if (look.held && !sameOpen && lastSame) return 'more';
    if ((!look.held || lastSame === sameOpen) && head.score[last]! <= limit) return 'more';
  }
  return at;
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
  e.rank = c.rank ?? index + 1;
  e.clipStart = c.clip && c.clip.start > 0 ? c.clip.start : 0;
  const face = `${FACE_WORD[e.faceQuadrant ?? 'N']} ${e.readingKind === 'picture-mood' ? 'picture mood (colour and light, no face)' : 'face'}`;
  const goal = e.target && e.face ? goalWords(e) : '';
  // "Best", not "closest": candidates are ranked by distance plus the song model's uncertainty.
  const which = e.rank === 1 ? 'the best fit' : `${ordinal(e.rank)}-best fit, ${why === 'picked' ? 'your pick' : 'to avoid repeats'}`;
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
  choose(e, (chosenIndex(e) + 1) % e.candidates.length, 'picked');
}

/** Where the chosen song is in the entry's candidates; -1 without one. */
export function chosenIndex(e: PlaylistEntry): number {
  return e.songId === null ? -1 : e.candidates.findIndex((c) => c.songId === e.songId);
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
  /** portrait id → 1-based place in the entry's candidates of the song the person swapped to. */
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
  return applyEdits(buildPlaylist(portraits, songs, baseOptions(spec)), spec);
}

/** What of a spec the matching itself depends on; picks and the person's order are applied after it. */
export function baseOptions(spec: PlaylistSpec): PlaylistOptions {
  return {
    mode: spec.mode, order: spec.order, faceChoice: spec.faceChoice,
    ...(spec.maxUses !== undefined ? { maxUses: spec.maxUses } : {}),
    ...(spec.pictureMood !== undefined ? { pictureMood: spec.pictureMood } : {}),
    ...(spec.startAt !== undefined ? { startAt: spec.startAt } : {}),
  };
}

/**
 * The person's swaps and order over a built playlist, which is left as it was: a swap or a move
 * on 20,000 pairs re-applies the edits instead of matching again.
 */
export function applyEdits(base: readonly PlaylistEntry[], spec: PlaylistSpec): PlaylistEntry[] {
  const entries = base.map((e) => {
    const place = spec.picks[e.portraitId];
    if (place === undefined || place < 1 || place > e.candidates.length) return e;
    const copy = { ...e };
    choose(copy, place - 1);
    return copy;
  });
  if (spec.sequence.length === 0) return entries;
  const at = new Map(spec.sequence.map((id, i) => [id, i]));
  const placed = entries.filter((e) => at.has(e.portraitId)).sort((a, b) => at.get(a.portraitId)! - at.get(b.portraitId)!);
  return [...placed, ...entries.filter((e) => !at.has(e.portraitId))];
}
