/**
 * face-api's tiny face detector on ONNX Runtime, returning what face-api's `locateFaces`
 * returns for the same pixels: the graph (exported from face-api's forwardInput at input size
 * 416) gives the raw 13×13 grid of 5 anchors × (x, y, w, h, score); the decoding and the
 * suppression below repeat face-api's TinyYolov2Base.extractBoxes / detect and
 * ops/nonMaxSuppression on plain arrays.
 */
import type { Box, DecodedImage } from '../types.ts';
import { loadOrt, onnxSession } from '../ml/onnx-runtime.ts';
import { TINY_INPUT_SIZE } from '../ml/onnx-models.ts';
import { paddedSquare } from './ssd-onnx.ts';

const ANCHORS: [number, number][] = [
  [1.603231, 2.094468],
  [6.041143, 7.080126],
  [2.882459, 3.518061],
  [4.266906, 5.178857],
  [9.041765, 10.66308],
];
const IOU_THRESHOLD = 0.4;
const ENCODING = 5;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** A box as face-api's Box holds it: x, y, width, height (relative to the view). */
interface Rel {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

/** face-api's ops/iou on both boxes rescaled by `scale`, with Box's right = x + width. */
function iou(a: Rel, b: Rel, scale: number): number {
  const ax = a.x * scale, ay = a.y * scale, aw = a.width * scale, ah = a.height * scale;
  const bx = b.x * scale, by = b.y * scale, bw = b.width * scale, bh = b.height * scale;
  const w = Math.max(0, Math.min(ax + aw, bx + bw) - Math.max(ax, bx));
  const h = Math.max(0, Math.min(ay + ah, by + bh) - Math.max(ay, by));
  const inter = w * h;
  return inter / (aw * ah + bw * bh - inter);
}

/** face-api's ops/nonMaxSuppression: highest score first (ties: the later box), drop IoU > threshold. */
function suppress(boxes: Rel[], scale: number): number[] {
  let order = boxes.map((b, i) => ({ s: b.score, i })).sort((a, b) => a.s - b.s).map((c) => c.i);
  const pick: number[] = [];
  while (order.length > 0) {
    const curr = order.pop()!;
    pick.push(curr);
    order = order.filter((idx) => iou(boxes[curr]!, boxes[idx]!, scale) <= IOU_THRESHOLD);
  }
  return pick;
}

/** Faces in one view of `image`, boxes in the view's (unmirrored-back) pixels, as face-api gives them. */
export async function locateFacesTinyOnnx(image: DecodedImage, view: Box, mirror: boolean, scoreThreshold: number): Promise<{ box: Box; score: number }[]> {
  const ort = loadOrt();
  const session = await onnxSession('tinyDetector');
  const { data, side } = paddedSquare(image, view, mirror);
  const out = await session.run({ image: new ort.Tensor('uint8', data, [side, side, 3]) });
  const grid = out.grid!.data as Float32Array;
  const cells = out.grid!.dims[1]!;
  const [, , w, h] = view;
  // face-api's getReshapedInputDimensions: the longer side scaled to the input size.
  const scale = TINY_INPUT_SIZE / Math.max(w, h);
  const rw = Math.round(w * scale);
  const rh = Math.round(h * scale);
  const size = Math.max(rw, rh);
  const cx = size / rw;
  const cy = size / rh;
  const found: Rel[] = [];
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      for (let a = 0; a < ANCHORS.length; a++) {
        const o = ((row * cells + col) * ANCHORS.length + a) * ENCODING;
        const score = sigmoid(grid[o + 4]!);
        if (scoreThreshold && !(score > scoreThreshold)) continue;
        const ctX = ((col + sigmoid(grid[o]!)) / cells) * cx;
        const ctY = ((row + sigmoid(grid[o + 1]!)) / cells) * cy;
        const bw = ((Math.exp(grid[o + 2]!) * ANCHORS[a]![0]) / cells) * cx;
        const bh = ((Math.exp(grid[o + 3]!) * ANCHORS[a]![1]) / cells) * cy;
        const x = ctX - bw / 2;
        const y = ctY - bh / 2;
        // BoundingBox(left, top, right, bottom) keeps width = right − left.
        found.push({ x, y, width: x + bw - x, height: y + bh - y, score });
      }
    }
  }
  return suppress(found, TINY_INPUT_SIZE).map((i) => {
    const b = found[i]!;
    return { box: [b.x * w, b.y * h, b.width * w, b.height * h] as Box, score: b.score };
  });
}
