/** Reads and writes portrait rows. Faces are stored as JSON: they are always read whole. */
import path from 'node:path';
import type { FaceResult, FolderKind, Portrait, RecentFolder } from '../../../shared/api.ts';
import { isQuadrant } from '../../../shared/emotion.ts';
import { isPictureMood, readingKindOf, type PictureMood } from '../../../shared/picture-mood.ts';
import { underFolder, type Db } from './open-catalog.ts';

export interface PortraitRow {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
  hash: string;
  analyser: string;
  width: number | null;
  height: number | null;
  faces_json: string;
  quadrant: string | null;
  valence: number | null;
  arousal: number | null;
  error: string | null;
  thumb: string | null;
  analysed_at: string;
  /** The picture mood as JSON (shared/picture-mood.ts); null before it was measured or when analysis failed. */
  mood_json: string | null;
}

/** The columns that say whether a row still describes its file (portrait-library.ts isUpToDate). */
export type PortraitStamp = Pick<PortraitRow, 'id' | 'path' | 'size' | 'mtime_ms' | 'analyser'>;

export type PortraitAnalysis = Omit<PortraitRow, 'id' | 'faces_json' | 'analysed_at' | 'mood_json'> & { faces: FaceResult[]; mood?: PictureMood | null };

/** The stored picture mood, or null when there is none or it does not hold a well-formed one. */
export function parseMood(json: string | null): PictureMood | null {
  if (!json) return null;
  try {
    const m: unknown = JSON.parse(json);
    return isPictureMood(m) ? m : null;
  } catch {
    return null;
  }
}

export class PortraitsTable {
  private readonly byPath;
  private readonly byId;
  private readonly byHash;
  private readonly upsert;
  private readonly touch;
  private readonly remove;
  private readonly inFolder;
  private readonly stampsInFolder;

  constructor(private readonly db: Db) {
    this.byPath = db.prepare<[string], PortraitRow>('SELECT * FROM portraits WHERE path = ?');
    this.byId = db.prepare<[number], PortraitRow>('SELECT * FROM portraits WHERE id = ?');
    this.byHash = db.prepare<[string, string], PortraitRow>(
      'SELECT * FROM portraits WHERE hash = ? AND analyser = ? AND error IS NULL LIMIT 1',
    );
    this.upsert = db.prepare(
      `INSERT INTO portraits (path, size, mtime_ms, hash, analyser, width, height, faces_json, quadrant, valence, arousal, error, thumb, analysed_at, mood_json)
       VALUES (@path, @size, @mtime_ms, @hash, @analyser, @width, @height, @faces_json, @quadrant, @valence, @arousal, @error, @thumb, @analysed_at, @mood_json)
       ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, hash = excluded.hash,
         analyser = excluded.analyser, width = excluded.width, height = excluded.height, faces_json = excluded.faces_json,
         quadrant = excluded.quadrant, valence = excluded.valence, arousal = excluded.arousal, error = excluded.error,
         thumb = excluded.thumb, analysed_at = excluded.analysed_at, mood_json = excluded.mood_json`,
    );
    this.touch = db.prepare('UPDATE portraits SET size = ?, mtime_ms = ? WHERE path = ?');
    this.remove = db.prepare('DELETE FROM portraits WHERE id = ?');
    this.inFolder = db.prepare<[string, string], PortraitRow>('SELECT * FROM portraits WHERE path >= ? AND path < ? ORDER BY path');
    this.stampsInFolder = db.prepare<[string, string], PortraitStamp>('SELECT id, path, size, mtime_ms, analyser FROM portraits WHERE path >= ? AND path < ? ORDER BY path');
  }

  get(file: string): PortraitRow | undefined {
    return this.byPath.get(file);
  }

  getById(id: number): PortraitRow | undefined {
    return this.byId.get(id);
  }

  /** A finished analysis of identical bytes by the same analyser, wherever the file was. */
  findByHash(hash: string, analyser: string): PortraitRow | undefined {
    return this.byHash.get(hash, analyser);
  }

  save(a: PortraitAnalysis): void {
    const { faces, mood, ...rest } = a;
    this.upsert.run({ ...rest, faces_json: JSON.stringify(faces), mood_json: mood ? JSON.stringify(mood) : null, analysed_at: new Date().toISOString() });
  }

  updateStat(file: string, size: number, mtimeMs: number): void {
    this.touch.run(size, mtimeMs, file);
  }

  /** The file is gone: its row goes too (the thumbnail may serve a copy elsewhere, so it stays). */
  delete(id: number): void {
    this.remove.run(id);
  }

  listUnder(folder: string): PortraitRow[] {
    const { lo, hi } = underFolder(folder);
    return this.inFolder.all(lo, hi);
  }

  /**
   * What a scan compares with the disk, for every portrait under `folder`: a third of the time of
   * whole rows (20,000 rows: about 150 against 450 ms), whose faces and mood texts it never reads.
   */
  stampsUnder(folder: string): PortraitStamp[] {
    const { lo, hi } = underFolder(folder);
    return this.stampsInFolder.all(lo, hi);
  }
}

export function toPortrait(row: PortraitRow, folder: string): Portrait {
  const faces = JSON.parse(row.faces_json) as FaceResult[];
  const mood = row.error ? null : parseMood(row.mood_json);
  return {
    id: row.id,
    path: row.path,
    name: path.relative(folder, row.path),
    folder,
    status: row.error ? 'error' : 'done',
    width: row.width,
    height: row.height,
    faces,
    quadrant: isQuadrant(row.quadrant) ? row.quadrant : null,
    valence: row.valence,
    arousal: row.arousal,
    mood,
    readingKind: readingKindOf({ faces, mood }),
    error: row.error,
    thumb: row.thumb,
  };
}

export class FoldersTable {
  private readonly upsert;
  private readonly recent;
  private readonly byPath;

  constructor(db: Db) {
    this.upsert = db.prepare(
      'INSERT INTO folders (path, kind, opened_at) VALUES (?, ?, ?) ON CONFLICT(path) DO UPDATE SET kind = excluded.kind, opened_at = excluded.opened_at',
    );
    this.recent = db.prepare<[number], { path: string; kind: FolderKind; opened_at: string }>(
      'SELECT path, kind, opened_at FROM folders ORDER BY opened_at DESC LIMIT ?',
    );
    this.byPath = db.prepare<[string], { path: string; kind: FolderKind }>('SELECT path, kind FROM folders WHERE path = ?');
  }

  remember(folder: string, kind: FolderKind): void {
    this.upsert.run(folder, kind, new Date().toISOString());
  }

  isKnown(folder: string, kind: FolderKind): boolean {
    return this.byPath.get(folder)?.kind === kind;
  }

  listRecent(limit = 10): RecentFolder[] {
    return this.recent.all(limit).map((r) => ({ path: r.path, kind: r.kind, openedAt: r.opened_at }));
  }
}
