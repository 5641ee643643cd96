/**
 * The development set of art beyond paintings (shared/data/portraits/dev: terracotta, coins,
 * vessels, drawings, textiles; 95 images with faces, 24 without), read from its manifest, and
 * the scoring used for it by the detector test and the exploration script. It is the set the
 * `art` preset's later looks were tuned on, so its figures are not held-out ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../common/read-csv.ts';

/** Faces by eye: none, one, two, or a group (three or more). */
export type DevExpected = 0 | 1 | 2 | 'group';

/** File name → expected faces, from the `kind` column's face-count tag. */
export function readDevManifest(dir: string): Map<string, DevExpected> {
  const rows = parseCsv(fs.readFileSync(path.join(dir, 'manifest.csv'), 'utf8'));
  const header = rows[0] ?? [];
  const fileCol = header.indexOf('file');
  const kindCol = header.indexOf('kind');
  if (fileCol < 0 || kindCol < 0) throw new Error(`${dir}/manifest.csv has no file or kind column`);
  const out = new Map<string, DevExpected>();
  for (const r of rows.slice(1)) {
    if (r.length <= kindCol || !r[fileCol]) continue;
    const tags = r[kindCol]!.split(';');
    out.set(r[fileCol]!, tags.includes('no-face') ? 0 : tags.includes('group') ? 'group' : tags.includes('faces-2') ? 2 : 1);
  }
  return out;
}

/** Whether `found` faces count right for `want` (a group is three or more). */
export function countRight(want: DevExpected, found: number): boolean {
  return want === 'group' ? found >= 3 : found === want;
}

export interface DevScore {
  /** Images with faces on which at least one was found, of `withFaces`. */
  found: number;
  withFaces: number;
  /** Images with faces whose count is right. */
  right: number;
  /** Images without faces on which one was found, of `without`. */
  falseImages: number;
  without: number;
}

export function scoreDevSet(faces: Map<string, number>, expected: Map<string, DevExpected>): DevScore {
  const s: DevScore = { found: 0, withFaces: 0, right: 0, falseImages: 0, without: 0 };
  for (const [file, n] of faces) {
    const want = expected.get(file);
    if (want === undefined) continue;
    if (want === 0) {
      s.without++;
      if (n > 0) s.falseImages++;
      continue;
    }
    s.withFaces++;
    if (n > 0) s.found++;
    if (countRight(want, n)) s.right++;
  }
  return s;
}
