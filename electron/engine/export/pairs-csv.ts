/** pairs.csv: one row per portrait in playlist order; unmatched portraits have empty song cells. */
import { csvHead, csvLine, toCsv, type CsvValue } from './csv.ts';
import type { ExportRow } from './export-rows.ts';
import type { MatchMode } from '../../../shared/match.ts';

export const CSV_COLUMNS = [
  'position', 'status', 'portrait_path', 'portrait_name', 'face_index', 'face_x', 'face_y', 'face_width', 'face_height',
  'face_quadrant', 'face_valence', 'face_arousal', 'target_quadrant', 'song_path', 'song_title', 'song_artist', 'song_album',
  'song_duration_s', 'song_quadrant', 'song_valence', 'song_arousal', 'mode', 'rank', 'distance', 'reason',
  // Added in format 2, at the end so readers of the old columns by position keep working.
  'face_reading_by', 'song_reading_by',
  // What chose the song: 'faces', or 'picture-mood' (no face found; the face cells are empty).
  'reading_kind', 'reading_quadrant', 'reading_valence', 'reading_arousal', 'reading_confidence',
  // Seconds into the song where it starts for this portrait; 0 from the beginning.
  'clip_start',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

function cells(r: ExportRow, mode: MatchMode): Partial<Record<Column, CsvValue>> {
  const common = { position: r.position, portrait_path: r.portrait.path, portrait_name: r.portrait.name, mode };
  if (r.kind === 'unmatched') return { ...common, status: 'unmatched', reason: r.reason };
  const f = r.face;
  const reading = r.reading.kind === 'picture-mood'
    ? { reading_kind: r.reading.kind, reading_quadrant: r.reading.quadrant, reading_valence: r.reading.valence, reading_arousal: r.reading.arousal, reading_confidence: r.reading.confidence }
    : { reading_kind: r.reading.kind, reading_quadrant: f?.quadrant, reading_valence: f?.valence, reading_arousal: f?.arousal };
  return {
    ...common,
    status: 'paired',
    ...(f ? {
      face_index: f.index, face_x: f.box[0], face_y: f.box[1], face_width: f.box[2], face_height: f.box[3],
      face_quadrant: f.quadrant, face_valence: f.valence, face_arousal: f.arousal, face_reading_by: f.readingBy,
    } : {}),
    ...reading,
    target_quadrant: r.target.quadrant,
    song_path: r.song.path, song_title: r.song.title, song_artist: r.song.artist, song_album: r.song.album,
    song_duration_s: r.song.duration, song_quadrant: r.song.quadrant, song_valence: r.song.valence, song_arousal: r.song.arousal,
    rank: r.match.rank, distance: r.match.distance, reason: r.match.reason,
    song_reading_by: r.song.readingBy,
    clip_start: r.match.clipStart,
  };
}

function values(r: ExportRow, mode: MatchMode): CsvValue[] {
  const c = cells(r, mode);
  return CSV_COLUMNS.map((name) => c[name] ?? null);
}

export function pairsCsv(rows: readonly ExportRow[], mode: MatchMode): string {
  return toCsv(CSV_COLUMNS, rows.map((r) => values(r, mode)));
}

/** pairsCsv's text in pieces of about 64 KiB, for a file written as it is made. */
export function* pairsCsvLines(rows: readonly ExportRow[], mode: MatchMode): Generator<string> {
  let piece = csvHead(CSV_COLUMNS);
  for (const r of rows) {
    piece += csvLine(values(r, mode));
    if (piece.length >= 1 << 16) {
      yield piece;
      piece = '';
    }
  }
  yield piece;
}
