/**
 * The painted-face check's labels: faces the app's detector finds in the demo and dev art sets,
 * each labelled by eye (happy, tense, sad, neutral; `skip` where no expression can be read or the
 * box is not a face), with who labelled it. Written before any emotion model read these faces.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FaceQuadrant } from '../../../shared/emotion.ts';
import { parseCsv } from '../../common/read-csv.ts';

export const PAINTED_CSV = path.join(import.meta.dirname, 'painted-faces.csv');

export const EYE_LABELS = ['happy', 'tense', 'sad', 'neutral', 'skip'] as const;
export type EyeLabel = (typeof EYE_LABELS)[number];

/** The app's face classes for each label by eye (tense = angry, afraid, surprised, disgusted). */
export const EYE_TO_QUADRANT: Record<Exclude<EyeLabel, 'skip'>, FaceQuadrant> = { happy: 'Q1', tense: 'Q2', sad: 'Q3', neutral: 'N' };

export interface PaintedFace {
  /** `demo/<file>` or `dev/<file>` under ../shared/data/portraits. */
  file: string;
  /** The detector's face number in that image (strongest first). */
  face: number;
  /** Box in the original image's pixels. */
  x: number;
  y: number;
  w: number;
  h: number;
  label: EyeLabel | '';
  labeller: string;
  note: string;
}

const HEADER = 'file,face,x,y,w,h,label,labeller,note';

function quote(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function readPaintedFaces(file = PAINTED_CSV): PaintedFace[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  if (text.split('\n', 1)[0] !== HEADER) throw new Error(`${file}: header must be ${HEADER}`);
  return parseCsv(text).slice(1).filter((r) => r.some(Boolean)).map((cells, i) => {
    const [f, face, x, y, w, h, label, labeller, note] = cells;
    if (label && !(EYE_LABELS as readonly string[]).includes(label)) throw new Error(`${file}:${i + 2}: unknown label "${label}"`);
    return { file: f!, face: Number(face), x: Number(x), y: Number(y), w: Number(w), h: Number(h), label: (label ?? '') as EyeLabel | '', labeller: labeller ?? '', note: note ?? '' };
  });
}

export function writePaintedFaces(faces: PaintedFace[], file = PAINTED_CSV): void {
  const rows = faces.map((f) => [f.file, String(f.face), String(f.x), String(f.y), String(f.w), String(f.h), f.label, f.labeller, f.note].map(quote).join(','));
  fs.writeFileSync(file, [HEADER, ...rows].join('\n') + '\n');
}
