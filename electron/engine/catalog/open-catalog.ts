/**
 * The catalog: one SQLite file in the app's data folder. WAL and one transaction per finished
 * file, so a kill loses at most the file in flight. Schema changes are numbered migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Db } from './sqlite.ts';

export { Db };

const MIGRATIONS: string[] = [
  `CREATE TABLE folders (
     path TEXT PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('portraits', 'music')),
     opened_at TEXT NOT NULL
   );
   CREATE TABLE portraits (
     id INTEGER PRIMARY KEY,
     path TEXT NOT NULL UNIQUE,
     size INTEGER NOT NULL,
     mtime_ms REAL NOT NULL,
     hash TEXT NOT NULL,
     analyser TEXT NOT NULL,
     width INTEGER,
     height INTEGER,
     faces_json TEXT NOT NULL DEFAULT '[]',
     quadrant TEXT,
     valence REAL,
     arousal REAL,
     error TEXT,
     thumb TEXT,
     analysed_at TEXT NOT NULL
   );
   CREATE INDEX portraits_hash ON portraits(hash);`,
  `CREATE TABLE songs (
     id INTEGER PRIMARY KEY,
     path TEXT NOT NULL UNIQUE,
     size INTEGER NOT NULL,
     mtime_ms REAL NOT NULL,
     hash TEXT NOT NULL,
     analyser TEXT NOT NULL,
     title TEXT,
     artist TEXT,
     album TEXT,
     duration REAL,
     cover TEXT,
     quadrant TEXT,
     probs_json TEXT,
     valence REAL,
     arousal REAL,
     error TEXT,
     analysed_at TEXT NOT NULL
   );
   CREATE INDEX songs_hash ON songs(hash);`,
  // A person's own readings, beside the model's (never over them): they survive re-analysis.
  // A face is found again by its box (the best overlap), since a new model may number faces differently.
  `CREATE TABLE corrections (
     id INTEGER PRIMARY KEY,
     path TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('face', 'song')),
     box_json TEXT,
     quadrant TEXT NOT NULL,
     valence REAL NOT NULL,
     arousal REAL NOT NULL,
     set_at TEXT NOT NULL
   );
   CREATE INDEX corrections_path ON corrections(path);`,
  // The picture mood (colour and light, shared/picture-mood.ts) beside the faces, as JSON; null
  // for rows analysed before it existed (the analyser id changed with it, so they are redone).
  `ALTER TABLE portraits ADD COLUMN mood_json TEXT;`,
  // A song's emotion stretch by stretch (shared/api.ts SongTimeline), as JSON; null for rows
  // analysed before there was one, and for songs the analyser gave none.
  `ALTER TABLE songs ADD COLUMN timeline_json TEXT;`,
  // The person's choices that outlive a session (the face search), beside the catalog they shape.
  `CREATE TABLE settings (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );`,
];

/** The schema version a catalog has once opened (its `user_version`). */
export const CATALOG_VERSION = MIGRATIONS.length;

export function openCatalog(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Db(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const version = Number(db.pragma('user_version'));
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}

/** Rows whose path lies under `folder`, using the path index instead of LIKE. */
export function underFolder(folder: string): { lo: string; hi: string } {
  const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
  // The separator's successor bounds every path that starts with the prefix.
  const hi = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return { lo: prefix, hi };
}
