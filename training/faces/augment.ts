/** The training augmentations of FER-2013 faces: rotation, zoom, shift and flip about the centre. */
import { sample, type GreyImage } from '../../electron/engine/classify/grey-image.ts';

export interface Affine {
  /** Degrees, counter-clockwise. */
  rotate: number;
  /** > 1 zooms in. */
  zoom: number;
  /** Shift as a fraction of the side. */
  shiftX: number;
  shiftY: number;
  flip: boolean;
}

/** Rotation/zoom/shift/flip about the centre, sampled back into the same square. */
export function warpGrey(img: GreyImage, t: Affine): GreyImage {
  const { side, data } = img;
  const out = new Float32Array(side * side);
  const c = (side - 1) / 2;
  const rad = (t.rotate * Math.PI) / 180;
  const cos = Math.cos(rad) / t.zoom;
  const sin = Math.sin(rad) / t.zoom;
  const sx = t.shiftX * side;
  const sy = t.shiftY * side;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      // Inverse map: output pixel → source pixel.
      const ox = (t.flip ? side - 1 - x : x) - c - sx;
      const oy = y - c - sy;
      const ix = cos * ox - sin * oy + c;
      const iy = sin * ox + cos * oy + c;
      out[y * side + x] = sample(data, side, side, ix, iy);
    }
  }
  return { side, data: out };
}


/** The training augmentation: ±10° rotation, 0.9–1.1 zoom, ±8 % shift, flip half the time. */
export function randomAffine(next: () => number): Affine {
  return {
    rotate: (next() * 2 - 1) * 10,
    zoom: 0.9 + next() * 0.2,
    shiftX: (next() * 2 - 1) * 0.08,
    shiftY: (next() * 2 - 1) * 0.08,
    flip: next() < 0.5,
  };
}
