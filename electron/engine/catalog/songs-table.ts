/** Reads and writes song rows; every write is its own transaction (a kill loses one file at most). */
import path from 'node:path';
import type { Song } from '../../../shared/api.ts';
import { MUSIC_QUADRANTS, type MusicQuadrant } from '../../../shared/emotion.ts';
import { underFolder, type Db } from './open-catalog.ts';
import { parseTimeline } from './timeline-json.ts';

export interface SongRow {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
  hash: string;
  analyser: string;
  title: string | null;
  artist: string | null;
  album: string | null;
  duration: number | null;
  cover: string | null;
  quadrant: string | null;
  probs_json: string | null;
  valence: number | null;
  arousal: number | null;
  error: string | null;
  analysed_at: string;
  /** JSON of a SongTimeline (timeline-json.ts); null without one. */
  timeline_json: string | null;
}

/** `timeline_json` may be left out by writers that have none (tests, older tools): it is then null. */
export type SongWrite = Omit<SongRow, 'id' | 'analysed_at' | 'timeline_json'> & { timeline_json?: string | null };

export class SongsTable {
  private readonly byPath;
  private readonly byId;
  private readonly byHash;
  private readonly upsert;
  private readonly rename;
  private readonly renameCorrection;
  private readonly remove;
  private readonly touch;
  private readonly inFolder;

  constructor(db: Db) {
    this.byPath = db.prepare<[string], SongRow>('SELECT * FROM songs WHERE path = ?');
    this.byId = db.prepare<[number], SongRow>('SELECT * FROM songs WHERE id = ?');
    this.byHash = db.prepare<[string], SongRow>('SELECT * FROM songs WHERE hash = ? ORDER BY id');
    this.upsert = db.prepare(
      `INSERT INTO songs (path, size, mtime_ms, hash, analyser, title, artist, album, duration, cover, quadrant, probs_json, valence, arousal, error, analysed_at, timeline_json)
       VALUES (@path, @size, @mtime_ms, @hash, @analyser, @title, @artist, @album, @duration, @cover, @quadrant, @probs_json, @valence, @arousal, @error, @analysed_at, @timeline_json)
       ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, hash = excluded.hash, analyser = excluded.analyser,
         title = excluded.title, artist = excluded.artist, album = excluded.album, duration = excluded.duration, cover = excluded.cover,
         quadrant = excluded.quadrant, probs_json = excluded.probs_json, valence = excluded.valence, arousal = excluded.arousal,
         error = excluded.error, analysed_at = excluded.analysed_at, timeline_json = excluded.timeline_json`,
    );
    this.rename = db.prepare('UPDATE songs SET path = ?, size = ?, mtime_ms = ? WHERE id = ?');
    this.renameCorrection = db.prepare("UPDATE corrections SET path = ? WHERE kind = 'song' AND path = (SELECT path FROM songs WHERE id = ?)");
    this.remove = db.prepare('DELETE FROM songs WHERE id = ?');
    this.touch = db.prepare('UPDATE songs SET size = ?, mtime_ms = ? WHERE id = ?');
    this.inFolder = db.prepare<[string, string], SongRow>('SELECT * FROM songs WHERE path >= ? AND path < ? ORDER BY path');
  }

  get(file: string): SongRow | undefined {
    return this.byPath.get(file);
  }

  getById(id: number): SongRow | undefined {
    return this.byId.get(id);
  }

  withHash(hash: string): SongRow[] {
    return this.byHash.all(hash);
  }

  save(row: SongWrite): SongRow {
    this.upsert.run({ ...row, timeline_json: row.timeline_json ?? null, analysed_at: new Date().toISOString() });
    return this.get(row.path)!;
  }

  /** A file that moved keeps its analysis, and the person's reading of it: only its path and stat change. */
  move(id: number, to: string, size: number, mtimeMs: number): void {
    this.renameCorrection.run(to, id);
    this.rename.run(to, size, mtimeMs, id);
  }

  updateStat(id: number, size: number, mtimeMs: number): void {
    this.touch.run(size, mtimeMs, id);
  }

  delete(id: number): void {
    this.remove.run(id);
  }

  listUnder(folder: string): SongRow[] {
    const { lo, hi } = underFolder(folder);
    return this.inFolder.all(lo, hi);
  }
}

function parseProbs(json: string | null): Record<MusicQuadrant, number> | null {
  if (!json) return null;
  const raw = JSON.parse(json) as Record<string, number>;
  return Object.fromEntries(MUSIC_QUADRANTS.map((q) => [q, raw[q] ?? 0])) as Record<MusicQuadrant, number>;
}

export function toSong(row: SongRow, folder: string): Song {
  return {
    id: row.id,
    path: row.path,
    name: path.relative(folder, row.path),
    folder,
    status: row.error ? 'error' : 'done',
    title: row.title,
    artist: row.artist,
    album: row.album,
    duration: row.duration,
    cover: row.cover,
    quadrant: (MUSIC_QUADRANTS as readonly string[]).includes(row.quadrant ?? '') ? (row.quadrant as MusicQuadrant) : null,
    probs: parseProbs(row.probs_json),
    valence: row.valence,
    arousal: row.arousal,
    error: row.error,
    timeline: parseTimeline(row.timeline_json),
  };
}
