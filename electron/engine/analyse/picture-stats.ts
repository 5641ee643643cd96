/**
 * A picture's mean lightness and chroma (CIELAB L* and C*ab, D65), the brightness and
 * saturation the picture mood is read from (shared/picture-mood.ts). CIELAB rather than HSV:
 * Valdez & Mehrabian measured Munsell value and chroma, which L* and C* follow, while HSV
 * saturation calls near-black pixels fully saturated, so dark foliage read as vivid.
 */
import type { DecodedImage } from '../types.ts';

/** At most this many pixels are averaged, on an even grid: the mean moves by well under 1 %, and it stays ~2 ms. */
export const STATS_MAX_SAMPLES = 65_536;

/** sRGB byte → linear light. */
const LINEAR = Float64Array.from({ length: 256 }, (_, i) => {
  const c = i / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});

const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;
const f = (t: number): number => (t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116);

export interface PictureStats {
  /** Mean L* / 100, 0..1. */
  brightness: number;
  /** Mean C*ab / 100, 0..~1.3. */
  saturation: number;
}

export function pictureStats(image: DecodedImage): PictureStats {
  const { data, width, height } = image;
  const step = Math.max(1, Math.ceil(Math.sqrt((width * height) / STATS_MAX_SAMPLES)));
  let lSum = 0;
  let cSum = 0;
  let n = 0;
  for (let y = Math.floor(step / 2); y < height; y += step) {
    for (let x = Math.floor(step / 2); x < width; x += step) {
      const i = (y * width + x) * 3;
      const r = LINEAR[data[i]!]!;
      const g = LINEAR[data[i + 1]!]!;
      const b = LINEAR[data[i + 2]!]!;
      // sRGB → XYZ (D65), each divided by the white point's.
      const fx = f((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047);
      const fy = f(0.2126729 * r + 0.7151522 * g + 0.072175 * b);
      const fz = f((0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883);
      const a = 500 * (fx - fy);
      const bb = 200 * (fy - fz);
      lSum += 116 * fy - 16;
      cSum += Math.sqrt(a * a + bb * bb);
      n++;
    }
  }
  if (n === 0) return { brightness: 0, saturation: 0 };
  return { brightness: Math.min(1, Math.max(0, lSum / n / 100)), saturation: Math.max(0, cSum / n / 100) };
}
