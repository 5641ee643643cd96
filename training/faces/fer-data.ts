/**
 * Reader of FER-2013 packed as raw bytes (see shared/data/fer/README.md): 35,887 greyscale
 * 48×48 faces in one flat file, one label byte and one split byte per face. Pure and fast: the
 * files are read once and faces are returned as views, never copied.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FER_SIDE } from '../../electron/engine/classify/grey-image.ts';

export { FER_SIDE };

export const FER_PIXELS = FER_SIDE * FER_SIDE;
export const FER_COUNT = 35_887;

export const FER_SPLITS = ['Training', 'PublicTest', 'PrivateTest'] as const;
export type FerSplit = (typeof FER_SPLITS)[number];

export interface FerData {
  count: number;
  /** count × 48 × 48 grey bytes, row-major. */
  images: Uint8Array;
  /** FER label code 0..6 per face (FER_LABELS order). */
  labels: Uint8Array;
  /** Split code 0..2 per face (FER_SPLITS order). */
  splits: Uint8Array;
}

export function loadFer(dataDir: string): FerData {
  const read = (name: string): Uint8Array => {
    const buf = fs.readFileSync(path.join(dataDir, name));
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  };
  const images = read('images.u8');
  const labels = read('labels.u8');
  const splits = read('splits.u8');
  const count = labels.length;
  if (splits.length !== count) throw new Error(`FER: ${splits.length} split codes for ${count} labels`);
  if (images.length !== count * FER_PIXELS) throw new Error(`FER: images.u8 has ${images.length} bytes, expected ${count * FER_PIXELS}`);
  return { count, images, labels, splits };
}

/** The face at `index` as a 48×48 view into the packed file. */
export function ferImage(data: FerData, index: number): Uint8Array {
  if (index < 0 || index >= data.count) throw new RangeError(`FER index ${index} out of range`);
  return data.images.subarray(index * FER_PIXELS, (index + 1) * FER_PIXELS);
}

/** Indices of a split in file order (which is by label, then by source id). */
export function splitIndices(data: FerData, split: FerSplit): number[] {
  const code = FER_SPLITS.indexOf(split);
  const out: number[] = [];
  for (let i = 0; i < data.count; i++) if (data.splits[i] === code) out.push(i);
  return out;
}

/**
 * The fixed PrivateTest subset used by the regression test: every 7th PrivateTest face
 * (513 faces). Because the file is sorted by label, a stride samples every class in proportion.
 */
export function regressionSubset(data: FerData): number[] {
  return splitIndices(data, 'PrivateTest').filter((_, k) => k % 7 === 0);
}
