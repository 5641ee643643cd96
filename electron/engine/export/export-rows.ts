/**
 * One flat, checked view of the request that every writer formats: positions, rounded numbers,
 * resolved references. Keeping it in one place keeps CSV, JSON, M3U8 and HTML in agreement.
 */
import path from 'node:path';
import type { FaceBox, Song } from '../../../shared/api.ts';
import { faceReading, quadrantOfPoint, songReading, type Quadrant } from '../../../shared/emotion.ts';
import type { MatchMode } from '../../../shared/match.ts';
import type { MediaPlan } from './media-plan.ts';
import { ExportError, type ExportItem, type ExportRequest } from './types.ts';
import { pictureMoodReading } from '../../../shared/picture-mood.ts';

/** Whose reading an exported face or song carries: the model's, or the person's correction. */
export type ReadingSource = 'model' | 'person';
/** The model's own reading, kept beside a person's correction. */
export interface ModelReading {
  quadrant: Quadrant | null;
  valence: number | null;
  arousal: number | null;
}

export type PairReading =
  | { kind: 'faces' }
  | { kind: 'picture-mood'; quadrant: Quadrant; valence: number; arousal: number; brightness: number; saturation: number; confidence: number };

export interface PortraitRef {
  /** Relative to the export folder (see media-plan.ts). */
  path: string;
  /** The original file's absolute path when exported. */
  source: string;
  name: string;
  width: number | null;
  height: number | null;
}

export interface PairRow {
  kind: 'pair';
  position: number;
  item: ExportItem;
  portrait: PortraitRef;
  /**
   * What chose the song: the portrait's faces, or its picture mood where no face was found
   * (shared/picture-mood.ts); the picture mood's point, confidence and measures come with it.
   */
  reading: PairReading;
  /**
   * `quadrant` is the face's reading (shared/emotion.ts), the badge the app shows: where its V/A
   * point lies. null when the song was chosen by the picture mood: no face was found.
   */
  face: { index: number; box: FaceBox; score: number; quadrant: Quadrant; valence: number; arousal: number; readingBy: ReadingSource; model: ModelReading | null } | null;
  target: { quadrant: Quadrant; valence: number; arousal: number };
  song: {
    path: string;
    source: string;
    title: string;
    artist: string | null;
    album: string | null;
    duration: number | null;
    /** The song's reading as the app shows it (the person's when set). */
    quadrant: Quadrant | null;
    valence: number | null;
    arousal: number | null;
    readingBy: ReadingSource;
    model: ModelReading | null;
  };
  /** `clipStart`: seconds into the song where it starts for this portrait (0: from the beginning). */
  match: { mode: MatchMode; rank: number | null; reason: string; sameQuadrant: boolean; distance: number | null; clipStart: number };
}

export interface UnmatchedRow {
  kind: 'unmatched';
  position: number;
  item: ExportItem;
  portrait: PortraitRef;
  faceCount: number;
  reason: string;
}

export type ExportRow = PairRow | UnmatchedRow;

export const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;
const roundOrNull = (x: number | null): number | null => (x === null ? null : round(x));

/** What a player shows when the tags have no title. */
export function songTitle(song: Song): string {
  return song.title?.trim() || path.basename(song.path, path.extname(song.path));
}

function unmatchedReason(item: ExportItem): string {
  if (item.portrait.error) return `The image could not be analysed: ${item.portrait.error}`;
  if (item.entry.songId !== null && !item.song) return 'The chosen song is no longer in the music library.';
  return item.entry.reason || 'No song was chosen for this portrait.';
}

export function buildRows(req: ExportRequest, media: MediaPlan): ExportRow[] {
  return req.items.map((item, i): ExportRow => {
    const { portrait, entry, song } = item;
    if (entry.portraitId !== portrait.id) throw new ExportError('invalid-request', `Playlist entry ${i + 1} is for portrait ${entry.portraitId} but carries portrait ${portrait.id}.`);
    if (song && entry.songId !== song.id) throw new ExportError('invalid-request', `Playlist entry ${i + 1} chose song ${entry.songId} but carries song ${song.id}.`);
    const ref: PortraitRef = { path: media.portraitRef(portrait), source: portrait.path, name: portrait.name, width: portrait.width, height: portrait.height };
    const face = entry.faceIndex === null ? undefined : portrait.faces[entry.faceIndex];
    const mood = entry.readingKind === 'picture-mood' && !face && portrait.mood ? portrait.mood : null;
    if (!song || !(face || mood) || !entry.target || !entry.targetQuadrant) {
      return { kind: 'unmatched', position: i + 1, item, portrait: ref, faceCount: portrait.faces.length, reason: unmatchedReason(item) };
    }
    const chosen = entry.candidates.find((c) => c.songId === song.id);
    const faceR = face ? faceReading(face) : null;
    const moodR = mood ? pictureMoodReading(mood) : null;
    const songR = songReading(song);
    return {
      kind: 'pair',
      position: i + 1,
      item,
      portrait: ref,
      reading: mood && moodR
        ? { kind: 'picture-mood', quadrant: moodR.quadrant, valence: round(mood.valence), arousal: round(mood.arousal), brightness: round(mood.brightness), saturation: round(mood.saturation), confidence: round(mood.confidence) }
        : { kind: 'faces' },
      face: !face || !faceR ? null : {
        index: entry.faceIndex!,
        box: face.box.map((v) => round(v, 2)) as FaceBox,
        score: round(face.score),
        quadrant: faceR.quadrant,
        valence: round(faceR.valence),
        arousal: round(faceR.arousal),
        readingBy: face.correction ? 'person' : 'model',
        model: face.correction ? { quadrant: quadrantOfPoint(face), valence: round(face.valence), arousal: round(face.arousal) } : null,
      },
      target: { quadrant: entry.targetQuadrant, valence: round(entry.target.valence), arousal: round(entry.target.arousal) },
      song: {
        path: media.songRef(song),
        source: song.path,
        title: songTitle(song),
        artist: song.artist?.trim() || null,
        album: song.album?.trim() || null,
        duration: song.duration === null ? null : round(song.duration, 3),
        quadrant: songR?.quadrant ?? null,
        valence: songR ? round(songR.valence) : null,
        arousal: songR ? round(songR.arousal) : null,
        readingBy: song.correction ? 'person' : 'model',
        model: song.correction ? { quadrant: song.quadrant, valence: roundOrNull(song.valence), arousal: roundOrNull(song.arousal) } : null,
      },
      match: { mode: req.mode, rank: entry.rank, reason: entry.reason, sameQuadrant: songR?.quadrant === entry.targetQuadrant, distance: chosen ? round(chosen.distance) : null, clipStart: round(entry.clipStart, 3) },
    };
  });
}
