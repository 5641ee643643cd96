/**
 * Greyscale image operations in plain JS: cropping a face from the app's RGB images the way
 * FER-2013 faces look (square, grey, 48×48), flipped and resized. Borders are
 * replicated, never black: a black band is a strong cue no FER face carries.
 */
import type { Box, DecodedImage } from '../types.ts';

/** The side of the face crops the emotion models read: FER-2013's 48 px. */
export const FER_SIDE = 48;

/** A square grey image, values 0..255 (fractional after resampling). */
export interface GreyImage {
  side: number;
  data: Float32Array;
}

export function greyFromBytes(bytes: Uint8Array, side = FER_SIDE): GreyImage {
  return { side, data: Float32Array.from(bytes) };
}

/** Bilinear sample with replicate borders. */
export function sample(src: Float32Array, w: number, h: number, x: number, y: number): number {
  const xc = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
  const yc = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
  const x0 = Math.floor(xc);
  const y0 = Math.floor(yc);
  const x1 = x0 + 1 < w ? x0 + 1 : x0;
  const y1 = y0 + 1 < h ? y0 + 1 : y0;
  const fx = xc - x0;
  const fy = yc - y0;
  const a = src[y0 * w + x0]! + (src[y0 * w + x1]! - src[y0 * w + x0]!) * fx;
  const b = src[y1 * w + x0]! + (src[y1 * w + x1]! - src[y1 * w + x0]!) * fx;
  return a + (b - a) * fy;
}

export function flipGrey(img: GreyImage): GreyImage {
  const { side, data } = img;
  const out = new Float32Array(side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) out[y * side + x] = data[y * side + side - 1 - x]!;
  return { side, data: out };
}

/** Resamples a square grey image to `side`, averaging over the source footprint when shrinking. */
export function resizeGrey(img: GreyImage, side: number): GreyImage {
  if (img.side === side) return img;
  const out = new Float32Array(side * side);
  const scale = img.side / side;
  // Supersample enough points per output pixel to cover the footprint (box filter).
  const n = Math.max(1, Math.ceil(scale));
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let acc = 0;
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          acc += sample(img.data, img.side, img.side, (x + (i + 0.5) / n) * scale - 0.5, (y + (j + 0.5) / n) * scale - 0.5);
        }
      }
      out[y * side + x] = acc / (n * n);
    }
  }
  return { side, data: out };
}

/**
 * Crops the face at `box` from packed RGB as FER-2013 presents faces: a square of side
 * max(w, h) × (1 + margin) centred on the box, converted to grey (BT.601 luma) and resampled
 * to `side`. Parts outside the image replicate the nearest edge pixel.
 */
export function cropFaceGrey(image: DecodedImage, box: Box, margin: number, side = FER_SIDE): GreyImage {
  const [bx, by, bw, bh] = box;
  const size = Math.max(1, Math.max(bw, bh) * (1 + margin));
  const x0 = bx + bw / 2 - size / 2;
  const y0 = by + bh / 2 - size / 2;
  const { width, height, data } = image;
  const scale = size / side;
  const n = Math.min(8, Math.max(1, Math.ceil(scale)));
  const out = new Float32Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let acc = 0;
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          const sx = Math.min(width - 1, Math.max(0, Math.floor(x0 + (x + (i + 0.5) / n) * scale)));
          const sy = Math.min(height - 1, Math.max(0, Math.floor(y0 + (y + (j + 0.5) / n) * scale)));
          const p = (sy * width + sx) * 3;
          acc += 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!;
        }
      }
      out[y * side + x] = acc / (n * n);
    }
  }
  return { side, data: out };
}
