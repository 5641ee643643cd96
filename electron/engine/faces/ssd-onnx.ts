/**
 * face-api's SSD MobileNet v1 on ONNX Runtime, returning what face-api's `locateFaces` returns
 * for the same pixels: the image is padded to a square at the bottom/right (face-api's
 * padToSquare), the graph (exported from face-api's own forward pass) resizes it to 512 and
 * decodes the 5,118 anchor boxes, and the suppression and box mapping below repeat face-api's
 * (ssdMobilenetv1/nonMaxSuppression.ts, SsdMobilenetv1.locateFaces) on plain arrays instead of
 * an `arraySync()` of all boxes per IoU test.
 */
import type { Box, DecodedImage } from '../types.ts';
import { loadOrt, onnxSession } from '../ml/onnx-runtime.ts';

const INPUT_SIZE = 512;
const IOU_THRESHOLD = 0.5;

/** The view [x, y, w, h] of `image` as a square uint8 tensor, optionally mirrored, zero-padded right/bottom. */
export function paddedSquare(image: DecodedImage, view: Box, mirror: boolean): { data: Uint8Array; side: number } {
  const [vx, vy, vw, vh] = view;
  const side = Math.max(vw, vh);
  const out = new Uint8Array(side * side * 3);
  const stride = image.width * 3;
  for (let y = 0; y < vh; y++) {
    const src = (vy + y) * stride + vx * 3;
    const dst = y * side * 3;
    if (!mirror) {
      out.set(image.data.subarray(src, src + vw * 3), dst);
    } else {
      for (let x = 0; x < vw; x++) {
        const s = src + (vw - 1 - x) * 3;
        const d = dst + x * 3;
        out[d] = image.data[s]!;
        out[d + 1] = image.data[s + 1]!;
        out[d + 2] = image.data[s + 2]!;
      }
    }
  }
  return { data: out, side };
}

function iouAt(b: Float32Array, i: number, j: number): number {
  const yminI = Math.min(b[i * 4]!, b[i * 4 + 2]!), xminI = Math.min(b[i * 4 + 1]!, b[i * 4 + 3]!);
  const ymaxI = Math.max(b[i * 4]!, b[i * 4 + 2]!), xmaxI = Math.max(b[i * 4 + 1]!, b[i * 4 + 3]!);
  const yminJ = Math.min(b[j * 4]!, b[j * 4 + 2]!), xminJ = Math.min(b[j * 4 + 1]!, b[j * 4 + 3]!);
  const ymaxJ = Math.max(b[j * 4]!, b[j * 4 + 2]!), xmaxJ = Math.max(b[j * 4 + 1]!, b[j * 4 + 3]!);
  const areaI = (ymaxI - yminI) * (xmaxI - xminI);
  const areaJ = (ymaxJ - yminJ) * (xmaxJ - xminJ);
  if (areaI <= 0 || areaJ <= 0) return 0;
  const inter = Math.max(Math.min(ymaxI, ymaxJ) - Math.max(yminI, yminJ), 0) * Math.max(Math.min(xmaxI, xmaxJ) - Math.max(xminI, xminJ), 0);
  return inter / (areaI + areaJ - inter);
}

/** face-api's greedy suppression, same order and tie rules. */
export function ssdNonMaxSuppression(boxes: Float32Array, scores: Float32Array, maxOutput: number, minScore: number): number[] {
  const outputSize = Math.min(maxOutput, scores.length);
  const candidates: { score: number; index: number }[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > minScore) candidates.push({ score: scores[i]!, index: i });
  candidates.sort((a, b) => b.score - a.score);
  const selected: number[] = [];
  for (const c of candidates) {
    if (selected.length >= outputSize) break;
    let score = c.score;
    for (let j = selected.length - 1; j >= 0; --j) {
      const iou = iouAt(boxes, c.index, selected[j]!);
      if (iou === 0) continue;
      if (iou > IOU_THRESHOLD) score = 0;
      if (score <= minScore) break;
    }
    if (score === c.score) selected.push(c.index);
  }
  return selected;
}

/** Milliseconds inside the SSD session in this process (benches read it). */
export const ssdOnnxClock = { ms: 0 };

/** Faces in one view of `image`, boxes in the view's (unmirrored-back) pixels, as face-api gives them. */
export async function locateFacesOnnx(
  image: DecodedImage,
  view: Box,
  mirror: boolean,
  minConfidence: number,
  maxResults = 100,
): Promise<{ box: Box; score: number }[]> {
  const ort = loadOrt();
  const session = await onnxSession('detector');
  const { data, side } = paddedSquare(image, view, mirror);
  const t0 = performance.now();
  const out = await session.run({ image: new ort.Tensor('uint8', data, [side, side, 3]) });
  ssdOnnxClock.ms += performance.now() - t0;
  const boxes = out.boxes!.data as Float32Array;
  const scores = out.scores!.data as Float32Array;
  const keep = ssdNonMaxSuppression(boxes, scores, maxResults, minConfidence);
  const [, , w, h] = view;
  const scale = INPUT_SIZE / Math.max(w, h);
  const padX = INPUT_SIZE / Math.round(w * scale);
  const padY = INPUT_SIZE / Math.round(h * scale);
  return keep.map((i) => {
    const top = Math.max(0, boxes[i * 4]!) * padY;
    const bottom = Math.min(1, boxes[i * 4 + 2]!) * padY;
    const left = Math.max(0, boxes[i * 4 + 1]!) * padX;
    const right = Math.min(1, boxes[i * 4 + 3]!) * padX;
    return { box: [left * w, top * h, (right - left) * w, (bottom - top) * h] as Box, score: scores[i]! };
  });
}
