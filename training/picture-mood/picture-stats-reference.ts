/**
 * The reference statistics the picture mood is centred and scaled on (shared/picture-mood.ts):
 * means, standard deviations and correlation of brightness and saturation over a folder of
 * images, each measured as analysis measures it. Used by training/picture-mood/picture-mood-reference.ts and
 * by the test that keeps the constants honest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeImage } from '../../electron/engine/decode/image.ts';
import { ANALYSIS_MAX_SIDE } from '../../electron/engine/analyse/analyse-portrait.ts';
import { pictureStats } from '../../electron/engine/analyse/picture-stats.ts';

export interface ReferenceStats {
  images: number;
  brightness: { mean: number; sd: number };
  saturation: { mean: number; sd: number };
  correlation: number;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};

export async function referenceStats(folder: string): Promise<ReferenceStats> {
  const files = fs.readdirSync(folder).filter((f) => /\.(jpe?g|png|webp|tiff?)$/i.test(f)).sort();
  const b: number[] = [];
  const s: number[] = [];
  for (const file of files) {
    const { image } = await decodeImage(path.join(folder, file), ANALYSIS_MAX_SIDE);
    const st = pictureStats(image);
    b.push(st.brightness);
    s.push(st.saturation);
  }
  const mb = mean(b);
  const ms = mean(s);
  const cov = b.reduce((a, x, i) => a + (x - mb) * (s[i]! - ms), 0) / (b.length - 1);
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    images: files.length,
    brightness: { mean: r4(mb), sd: r4(sd(b)) },
    saturation: { mean: r4(ms), sd: r4(sd(s)) },
    correlation: r4(cov / (sd(b) * sd(s))),
  };
}
