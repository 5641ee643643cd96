/** pairs.csv: one row per portrait in playlist order; unmatched portraits have empty song cells. */
import { toCsv, type CsvValue } from './csv.ts';
import type { ExportRow } from './export-rows.ts';
import type { MatchMode } from '../../../shared/match.ts';

export const CSV_COLUMNS = [
  'position', 'status', 'portrait_path', 'portrait_name', 'face_index', 'face_x', 'face_y', 'face_width', 'face_height',
  'face_quadrant', 'face_valence', 'face_arousal', 'target_quadrant', 'song_path', 'song_title', 'song_artist', 'song_album',
  'song_duration_s', 'song_quadrant', 'song_valence', 'song_arousal', 'mode', 'rank', 'distance', 'reason',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

function cells(r: ExportRow, mode: MatchMode): Partial<Record<Column, CsvValue>> {
  const common = { position: r.position, portrait_path: r.portrait.path, portrait_name: r.portrait.name, mode };
  if (r.kind === 'unmatched') return { ...common, status: 'unmatched', reason: r.reason };
  const [x, y, w, h] = r.face.box;
  return {
    ...common,
    status: 'paired',
    face_index: r.face.index, face_x: x, face_y: y, face_width: w, face_height: h,
    face_quadrant: r.face.quadrant, face_valence: r.face.valence, face_arousal: r.face.arousal,
    target_quadrant: r.target.quadrant,
    song_path: r.song.path, song_title: r.song.title, song_artist: r.song.artist, song_album: r.song.album,
    song_duration_s: r.song.duration, song_quadrant: r.song.quadrant, song_valence: r.song.valence, song_arousal: r.song.arousal,
    rank: r.match.rank, distance: r.match.distance, reason: r.match.reason,
  };
}

export function pairsCsv(rows: readonly ExportRow[], mode: MatchMode): string {
  return toCsv(CSV_COLUMNS, rows.map((r) => {
    const c = cells(r, mode);
    return CSV_COLUMNS.map((name) => c[name] ?? null);
  }));
}
