/**
 * A person's own readings of faces and songs, kept beside the model's rows (never over them), so
 * re-analysis with a new model keeps them and undoing one brings the model's reading back.
 */
import type { FaceBox, FaceResult, Portrait, Song } from '../../../shared/api.ts';
import { isQuadrant, summariseFaces, type PersonReading } from '../../../shared/emotion.ts';
import { underFolder, type Db } from './open-catalog.ts';

interface CorrectionRow {
  id: number;
  path: string;
  kind: 'face' | 'song';
  box_json: string | null;
  quadrant: string;
  valence: number;
  arousal: number;
  set_at: string;
}

/** A face is the same face when the boxes overlap this much (a new model's box moves a little). */
export const SAME_FACE_IOU = 0.5;

export function iou(a: FaceBox, b: FaceBox): number {
  const x1 = Math.max(a[0], b[0]);
  const y1 = Math.max(a[1], b[1]);
  const x2 = Math.min(a[0] + a[2], b[0] + b[2]);
  const y2 = Math.min(a[1] + a[3], b[1] + b[3]);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

function toReading(row: CorrectionRow): PersonReading | null {
  if (!isQuadrant(row.quadrant)) return null;
  return { quadrant: row.quadrant, valence: row.valence, arousal: row.arousal, setAt: row.set_at };
}

function parseBox(json: string | null): FaceBox | null {
  if (!json) return null;
  const box = JSON.parse(json) as unknown;
  return Array.isArray(box) && box.length === 4 && box.every((v) => typeof v === 'number') ? (box as FaceBox) : null;
}

export class CorrectionsTable {
  private readonly forPath;
  private readonly inFolder;
  private readonly insert;
  private readonly remove;
  private readonly removeSong;

  constructor(private readonly db: Db) {
    this.forPath = db.prepare<[string], CorrectionRow>('SELECT * FROM corrections WHERE path = ? ORDER BY id');
    this.inFolder = db.prepare<[string, string], CorrectionRow>('SELECT * FROM corrections WHERE path >= ? AND path < ? ORDER BY id');
    this.insert = db.prepare(
      'INSERT INTO corrections (path, kind, box_json, quadrant, valence, arousal, set_at) VALUES (@path, @kind, @box_json, @quadrant, @valence, @arousal, @set_at)',
    );
    this.remove = db.prepare('DELETE FROM corrections WHERE id = ?');
    this.removeSong = db.prepare("DELETE FROM corrections WHERE path = ? AND kind = 'song'");
  }

  /** Sets (reading) or clears (null) the person's reading of the face with this box. */
  setFace(file: string, box: FaceBox, reading: Omit<PersonReading, 'setAt'> | null): void {
    this.db.transaction(() => {
      for (const row of this.forPath.all(file)) {
        const other = parseBox(row.box_json);
        if (row.kind === 'face' && (!other || iou(other, box) >= SAME_FACE_IOU)) this.remove.run(row.id);
      }
      if (reading) this.insert.run({ path: file, kind: 'face', box_json: JSON.stringify(box), ...reading, set_at: new Date().toISOString() });
    })();
  }

  setSong(file: string, reading: Omit<PersonReading, 'setAt'> | null): void {
    this.db.transaction(() => {
      this.removeSong.run(file);
      if (reading) this.insert.run({ path: file, kind: 'song', box_json: null, ...reading, set_at: new Date().toISOString() });
    })();
  }

  /** Every correction under `folder`, by file, for applying to a whole listing at once. */
  under(folder: string): Map<string, CorrectionRow[]> {
    const { lo, hi } = underFolder(folder);
    const out = new Map<string, CorrectionRow[]>();
    for (const row of this.inFolder.all(lo, hi)) {
      const list = out.get(row.path);
      if (list) list.push(row);
      else out.set(row.path, [row]);
    }
    return out;
  }

  of(file: string): CorrectionRow[] {
    return this.forPath.all(file);
  }
}

/** Each face correction goes to the face whose box overlaps its box most (at least SAME_FACE_IOU). */
export function withFaceCorrections(portrait: Portrait, rows: readonly CorrectionRow[] | undefined): Portrait {
  if (!rows || rows.length === 0) return portrait;
  const faces: FaceResult[] = portrait.faces.map((f) => ({ ...f, correction: null }));
  for (const row of rows) {
    const box = parseBox(row.box_json);
    const reading = toReading(row);
    if (row.kind !== 'face' || !box || !reading) continue;
    let best = -1;
    let bestIou = SAME_FACE_IOU;
    faces.forEach((f, i) => {
      const o = iou(f.box, box);
      if (o >= bestIou) [best, bestIou] = [i, o];
    });
    if (best >= 0) faces[best]!.correction = reading;
  }
  // The portrait's overall reading follows its faces, as the gallery shows it.
  const overall = summariseFaces(faces);
  return overall ? { ...portrait, faces, quadrant: overall.quadrant, valence: overall.valence, arousal: overall.arousal } : { ...portrait, faces };
}

export function withSongCorrection(song: Song, rows: readonly CorrectionRow[] | undefined): Song {
  const row = rows?.find((r) => r.kind === 'song');
  const reading = row ? toReading(row) : null;
  return reading ? { ...song, correction: reading } : song;
}
