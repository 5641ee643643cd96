/**
 * The building blocks of the art face detector (see detect-art.ts): image variants
 * (contrast-normalised, greyscale, mirrored), views (the whole image or overlapping square
 * tiles), and one detector run per (variant, view) that returns raw candidates in the decoded
 * image's pixels. Nothing here decides what is a face; detect-art.ts merges and filters.
 */
import * as tf from '@tensorflow/tfjs';
import sharp, { type Sharp } from 'sharp';
import type { Box, DecodedImage } from '../types.ts';
import { loadFaceApi, type FaceApi } from './face-api.ts';
import { locateFacesOnnx } from './ssd-onnx.ts';
import { locateFacesTinyOnnx } from './tiny-onnx.ts';
import { TINY_INPUT_SIZE } from '../ml/onnx-models.ts';
import { chooseFaceRuntime } from '../ml/onnx-runtime.ts';

/** How the pixels are changed before the detector sees them. */
export type ArtPreprocess = 'none' | 'clahe' | 'normalise' | 'grey' | 'grey-clahe' | 'brighten';

export interface ArtPass {
  /** Stable name used in thresholds, benches and logs. */
  id: string;
  detector: 'ssd' | 'tiny';
  preprocess: ArtPreprocess;
  /** Run on the mirrored image (boxes are mirrored back). */
  mirror?: boolean;
  /**
   * 0 or absent: the whole image. n ≥ 2: n×n overlapping square tiles whose side is
   * `tileFraction` of the shorter image side, spread evenly over the image (more along the
   * longer side, so tiles stay square).
   */
  tiles?: number;
  tileFraction?: number;
  /** Tiny detector input size (multiple of 32). */
  inputSize?: number;
  /** Candidates below this score are not returned at all (the merge applies its own thresholds). */
  floor: number;
  /**
   * Candidates whose longer side exceeds this share of the view's shorter side are dropped
   * (absent: none). On art where the first passes found nothing, a box that fills the whole
   * view is the detector answering to the outline of a vase, a textile or a coin, not a face.
   */
  maxFaceFraction?: number;
}

export interface Candidate {
  box: Box;
  score: number;
  pass: string;
}

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

/** Per-process cache of preprocessed variants of the same image (several passes share them). */
export class VariantCache {
  private readonly cache = new Map<ArtPreprocess, Promise<DecodedImage>>();
  constructor(readonly image: DecodedImage) {}
  get(pre: ArtPreprocess): Promise<DecodedImage> {
    let p = this.cache.get(pre);
    if (!p) {
      p = preprocessImage(this.image, pre);
      this.cache.set(pre, p);
    }
    return p;
  }
}

function greyOf(image: DecodedImage): DecodedImage {
  const { data, width, height } = image;
  const out = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < data.length; i += 3, j += 3) {
    const g = Math.round(0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!);
    out[j] = g;
    out[j + 1] = g;
    out[j + 2] = g;
  }
  return { data: out, width, height };
}

async function viaSharp(image: DecodedImage, op: (s: Sharp) => Sharp): Promise<DecodedImage> {
  const input = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  const { data, info } = await op(sharp(input, { raw: { width: image.width, height: image.height, channels: 3 } }))
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== image.width || info.height !== image.height) {
    throw new Error(`preprocessing changed the image shape to ${info.width}×${info.height}×${info.channels}`);
  }
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/**
 * Contrast-limited adaptive histogram equalisation of the luma, in plain JS (sharp's `clahe`
 * is libvips' sliding-window version: ~750 ms on a 768-px image here, this is ~15 ms).
 * `grid`×`grid` tiles, each with a histogram clipped at `clip`× the mean bin height; the
 * per-pixel mapping interpolates bilinearly between the four nearest tile LUTs. Colour is kept
 * by scaling R, G and B by the luma ratio (or output grey when `grey`).
 */
export function clahe(image: DecodedImage, { grid = 8, clip = 3, grey = false } = {}): DecodedImage {
  const { data, width, height } = image;
  const n = width * height;
  const luma = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    luma[i] = Math.round(0.299 * data[j]! + 0.587 * data[j + 1]! + 0.114 * data[j + 2]!);
  }
  const gx = Math.max(1, Math.min(grid, width));
  const gy = Math.max(1, Math.min(grid, height));
  const tw = width / gx;
  const th = height / gy;
  const luts: Uint8Array[] = [];
  const hist = new Uint32Array(256);
  for (let ty = 0; ty < gy; ty++) {
    for (let tx = 0; tx < gx; tx++) {
      hist.fill(0);
      const x0 = Math.floor(tx * tw), x1 = Math.floor((tx + 1) * tw);
      const y0 = Math.floor(ty * th), y1 = Math.floor((ty + 1) * th);
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) hist[luma[y * width + x]!]!++;
      const count = Math.max(1, (x1 - x0) * (y1 - y0));
      const limit = Math.max(1, Math.floor((clip * count) / 256));
      let excess = 0;
      for (let v = 0; v < 256; v++) if (hist[v]! > limit) { excess += hist[v]! - limit; hist[v] = limit; }
      const add = excess / 256;
      const lut = new Uint8Array(256);
      let cum = 0;
      for (let v = 0; v < 256; v++) {
        cum += hist[v]! + add;
        lut[v] = Math.min(255, Math.round((cum * 255) / count));
      }
      luts.push(lut);
    }
  }
  const out = new Uint8Array(n * 3);
  for (let y = 0; y < height; y++) {
    const fy = clamp((y + 0.5) / th - 0.5, 0, gy - 1);
    const ty0 = Math.floor(fy), ty1 = Math.min(gy - 1, ty0 + 1), wy = fy - ty0;
    for (let x = 0; x < width; x++) {
      const fx = clamp((x + 0.5) / tw - 0.5, 0, gx - 1);
      const tx0 = Math.floor(fx), tx1 = Math.min(gx - 1, tx0 + 1), wx = fx - tx0;
      const i = y * width + x;
      const v = luma[i]!;
      const a = luts[ty0 * gx + tx0]![v]!, b = luts[ty0 * gx + tx1]![v]!;
      const c = luts[ty1 * gx + tx0]![v]!, d = luts[ty1 * gx + tx1]![v]!;
      const mapped = (a * (1 - wx) + b * wx) * (1 - wy) + (c * (1 - wx) + d * wx) * wy;
      const j = i * 3;
      if (grey) {
        const g = Math.round(mapped);
        out[j] = g; out[j + 1] = g; out[j + 2] = g;
      } else {
        const ratio = mapped / Math.max(1, v);
        out[j] = Math.min(255, Math.round(data[j]! * ratio));
        out[j + 1] = Math.min(255, Math.round(data[j + 1]! * ratio));
        out[j + 2] = Math.min(255, Math.round(data[j + 2]! * ratio));
      }
    }
  }
  return { data: out, width, height };
}

export async function preprocessImage(image: DecodedImage, pre: ArtPreprocess): Promise<DecodedImage> {
  switch (pre) {
    case 'none':
      return image;
    case 'grey':
      return greyOf(image);
    case 'clahe':
      return clahe(image);
    case 'grey-clahe':
      return clahe(image, { grey: true });
    case 'normalise':
      return viaSharp(image, (s) => s.normalise({ lower: 1, upper: 99 }));
    case 'brighten': {
      // Gamma 1/2 on the 0..1 scale lifts shadows, where dark paintings hide their faces.
      const lut = new Uint8Array(256);
      for (let v = 0; v < 256; v++) lut[v] = Math.round(255 * Math.sqrt(v / 255));
      const out = new Uint8Array(image.data.length);
      for (let i = 0; i < out.length; i++) out[i] = lut[image.data[i]!]!;
      return { data: out, width: image.width, height: image.height };
    }
  }
}

/** Square views [x, y, side, side]; side = fraction of the shorter image side. */
export function tileRects(width: number, height: number, n: number, fraction: number): Box[] {
  if (n < 2) return [[0, 0, width, height]];
  const side = Math.max(1, Math.round(Math.min(width, height) * fraction));
  const along = (len: number): number[] => {
    // Enough tiles along this side that neighbours overlap by the same share as across the short side.
    const shortStep = (Math.min(width, height) - side) / (n - 1);
    const count = len <= side ? 1 : Math.max(n, Math.ceil((len - side) / Math.max(1, shortStep)) + 1);
    if (count === 1) return [0];
    return Array.from({ length: count }, (_, i) => Math.round(((len - side) * i) / (count - 1)));
  };
  const xs = along(width);
  const ys = along(height);
  const rects: Box[] = [];
  for (const y of ys) for (const x of xs) rects.push([x, y, Math.min(side, width - x), Math.min(side, height - y)]);
  return rects;
}

function tensorOf(image: DecodedImage): tf.Tensor3D {
  return tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
}

/** Milliseconds spent inside detector inference in this process (benches read and reset it). */
export const artInferenceClock = { ms: 0 };

type Net = Parameters<FaceApi['nets']['ssdMobilenetv1']['locateFaces']>[0];

async function runDetector(faceapi: FaceApi, input: tf.Tensor3D, pass: ArtPass): Promise<{ box: Box; score: number }[]> {
  const t0 = performance.now();
  const found =
    pass.detector === 'ssd'
      ? await faceapi.nets.ssdMobilenetv1.locateFaces(
          input as unknown as Net,
          new faceapi.SsdMobilenetv1Options({ minConfidence: pass.floor, maxResults: 100 }),
        )
      : await faceapi.nets.tinyFaceDetector.locateFaces(
          input as unknown as Net,
          new faceapi.TinyFaceDetectorOptions({ inputSize: pass.inputSize ?? 416, scoreThreshold: pass.floor }),
        );
  artInferenceClock.ms += performance.now() - t0;
  return found.map((d) => ({ box: [d.box.x, d.box.y, d.box.width, d.box.height] as Box, score: d.score }));
}

/** Detector calls over views of one image: ONNX Runtime where it runs, else face-api on TF.js. */
interface ViewDetector {
  detect(view: Box, mirror: boolean): Promise<{ box: Box; score: number }[]>;
  dispose(): void;
}

function onnxViews(image: DecodedImage, pass: ArtPass): ViewDetector {
  return {
    async detect(view, mirror) {
      const t0 = performance.now();
      const found =
        pass.detector === 'ssd' ? await locateFacesOnnx(image, view, mirror, pass.floor) : await locateFacesTinyOnnx(image, view, mirror, pass.floor);
      artInferenceClock.ms += performance.now() - t0;
      return found;
    },
    dispose() {},
  };
}

async function tfjsViews(image: DecodedImage, pass: ArtPass): Promise<ViewDetector> {
  const faceapi = await loadFaceApi(pass.detector === 'ssd' ? ['ssdMobilenetv1'] : ['tinyFaceDetector']);
  const { width, height } = image;
  const whole = tensorOf(image);
  return {
    async detect([vx, vy, vw, vh], mirror) {
      const isWhole = vw === width && vh === height;
      const own = !isWhole || mirror;
      const view = own
        ? tf.tidy(() => {
            const t: tf.Tensor3D = isWhole ? whole : tf.slice(whole, [vy, vx, 0], [vh, vw, 3]);
            return mirror ? tf.reverse(t, 1) : t;
          })
        : whole;
      try {
        return await runDetector(faceapi, view, pass);
      } finally {
        if (own) view.dispose();
      }
    },
    dispose() {
      whole.dispose();
    },
  };
}

/**
 * One pass: the detector over every view of one variant. Boxes come back in decoded-image
 * pixels. A candidate that touches an inner tile edge is dropped: a face cut by a tile border
 * is seen whole by the overlapping neighbour, and the cut half would only add a wrong box.
 */
export async function runArtPass(variants: VariantCache, pass: ArtPass): Promise<Candidate[]> {
  // The tiny detector's graph exists for one input size; other sizes stay on TF.js.
  const exported = pass.detector === 'ssd' || (pass.inputSize ?? 416) === TINY_INPUT_SIZE;
  const runtime = exported ? (await chooseFaceRuntime()).name : 'tfjs';
  const image = await variants.get(pass.preprocess);
  const { width, height } = image;
  const views = tileRects(width, height, pass.tiles ?? 0, pass.tileFraction ?? 0.6);
  const out: Candidate[] = [];
  const detector = runtime === 'onnx' ? onnxViews(image, pass) : await tfjsViews(image, pass);
  try {
    for (const [vx, vy, vw, vh] of views) {
      const isWhole = vw === width && vh === height;
      const found = await detector.detect([vx, vy, vw, vh], !!pass.mirror);
      const edge = 2;
      for (const { box, score } of found) {
        let [x, y, w, h] = box;
        if (pass.mirror) x = vw - x - w;
        if (!isWhole) {
          const cutLeft = vx > 0 && x <= edge;
          const cutTop = vy > 0 && y <= edge;
          const cutRight = vx + vw < width && x + w >= vw - edge;
          const cutBottom = vy + vh < height && y + h >= vh - edge;
          if (cutLeft || cutTop || cutRight || cutBottom) continue;
        }
        x += vx;
        y += vy;
        const x0 = clamp(x, 0, width);
        const y0 = clamp(y, 0, height);
        const x1 = clamp(x + w, x0, width);
        const y1 = clamp(y + h, y0, height);
        if (x1 - x0 < 4 || y1 - y0 < 4) continue;
        if (pass.maxFaceFraction && Math.max(x1 - x0, y1 - y0) > pass.maxFaceFraction * Math.min(vw, vh)) continue;
        out.push({ box: [x0, y0, x1 - x0, y1 - y0], score, pass: pass.id });
      }
    }
  } finally {
    detector.dispose();
  }
  return out;
}
