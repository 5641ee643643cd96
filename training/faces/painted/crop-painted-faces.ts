/**
 * Step 1 of the painted-face check: finds the faces in the demo and dev art sets with the app's
 * own detector and writes (a) painted-faces.csv with one row per face, box in original pixels and
 * an empty label, and (b) numbered contact sheets under .cache/painted/ for labelling by eye.
 * No emotion model runs here, so the labels are written before any model reads these faces.
 *
 *   node --import tsx training/faces/painted/crop-painted-faces.ts
 *
 * An existing CSV's labels are kept (rows are matched by file and face number), so rerunning
 * never loses the labelling.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { decodeImage } from '../../../electron/engine/decode/image.ts';
import { ANALYSIS_MAX_SIDE, DETECT_PRESETS } from '../../../electron/engine/analyse/analyse-portrait.ts';
import { detectFacesOnArt } from '../../../electron/engine/faces/detect-art.ts';
import { PORTRAITS_DEMO, PORTRAITS_DEV, REPO } from '../../paths.ts';
import { PAINTED_CSV, readPaintedFaces, writePaintedFaces, type PaintedFace } from './painted-faces.ts';

const SHEET_DIR = path.join(REPO, '.cache', 'painted');
const CELL = 200;
const PER_SHEET = 20;
const COLS = 5;

/** The manifest's medium tag (first of `kind`) per file, to leave out photographs. */
function media(dir: string): Map<string, string> {
  const rows = fs.readFileSync(path.join(dir, 'manifest.csv'), 'utf8').split('\n').slice(1).filter(Boolean);
  const out = new Map<string, string>();
  for (const r of rows) {
    const file = r.split(',')[0]!;
    const kind = /(?:^|,)([a-z-]+(?:;[a-z0-9-]+)+)(?:,|$)/.exec(r)?.[1] ?? '';
    out.set(file, kind.split(';')[0] ?? '');
  }
  return out;
}

async function main(): Promise<void> {
  const kept = new Map(readPaintedFaces().map((f) => [`${f.file}#${f.face}`, f]));
  const faces: PaintedFace[] = [];
  const crops: { id: string; png: Buffer }[] = [];
  for (const [set, dir] of [['demo', PORTRAITS_DEMO], ['dev', PORTRAITS_DEV]] as const) {
    const medium = media(dir);
    for (const file of [...medium.keys()].sort()) {
      if (/photo/.test(medium.get(file) ?? '')) continue;
      const src = path.join(dir, file);
      const { image, scale } = await decodeImage(src, ANALYSIS_MAX_SIDE);
      const found = await detectFacesOnArt(image, DETECT_PRESETS.art);
      const meta = await sharp(src).metadata();
      for (const [i, d] of found.entries()) {
        const [x, y, w, h] = d.box.map((v) => Math.round((v / scale) * 10) / 10) as [number, number, number, number];
        const prev = kept.get(`${set}/${file}#${i}`);
        faces.push({ file: `${set}/${file}`, face: i, x, y, w, h, label: prev?.label ?? '', labeller: prev?.labeller ?? '', note: prev?.note ?? '' });
        // Context around the face helps the eye (the classifier sees a tighter square).
        const side = Math.max(w, h) * 1.6;
        const left = Math.max(0, Math.round(x + w / 2 - side / 2));
        const top = Math.max(0, Math.round(y + h / 2 - side / 2));
        const width = Math.min(meta.width! - left, Math.round(side));
        const height = Math.min(meta.height! - top, Math.round(side));
        const png = await sharp(src).extract({ left, top, width, height }).resize(CELL, CELL, { fit: 'contain', background: '#222' }).png().toBuffer();
        crops.push({ id: `${faces.length - 1}`, png });
      }
    }
  }
  writePaintedFaces(faces);
  fs.mkdirSync(SHEET_DIR, { recursive: true });
  for (let s = 0; s * PER_SHEET < crops.length; s++) {
    const part = crops.slice(s * PER_SHEET, (s + 1) * PER_SHEET);
    const rows = Math.ceil(part.length / COLS);
    const composites = part.flatMap((c, k) => {
      const left = (k % COLS) * CELL;
      const top = Math.floor(k / COLS) * (CELL + 28);
      const label = Buffer.from(`<svg width="${CELL}" height="28"><rect width="100%" height="100%" fill="#fff"/><text x="8" y="21" font-size="20" font-family="sans-serif">#${c.id}</text></svg>`);
      return [{ input: c.png, left, top }, { input: label, left, top: top + CELL }];
    });
    await sharp({ create: { width: COLS * CELL, height: rows * (CELL + 28), channels: 3, background: '#fff' } })
      .composite(composites)
      .png()
      .toFile(path.join(SHEET_DIR, `sheet-${String(s).padStart(2, '0')}.png`));
  }
  console.log(`${faces.length} faces → ${path.relative(REPO, PAINTED_CSV)}; sheets in ${path.relative(REPO, SHEET_DIR)}`);
}

await main();
