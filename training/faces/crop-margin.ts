/**
 * How much context a detector box needs to look like a FER-2013 face. FER faces are tightly
 * framed; face-api's SSD boxes are tight too, but not identically. We place FER faces in a
 * larger canvas, let SSD find them, and compare: the FER frame side over the SSD box side,
 * minus 1, is the margin that makes a crop from an SSD box frame the face as FER does.
 */
import * as tf from '@tensorflow/tfjs';
import { ferImage, FER_SIDE, type FerData } from './fer-data.ts';
import { loadFaceApiExpressionNet } from '../../electron/engine/classify/face-api-features.ts';
import { faceApiModelDir } from '../../electron/engine/faces/face-api.ts';
import { cropFaceGrey } from '../../electron/engine/classify/grey-image.ts';

export interface MarginStudy {
  sampled: number;
  detected: number;
  /** Median of FER side / SSD box side − 1. */
  margin: number;
  /** Quartiles of the same ratio. */
  q1: number;
  q3: number;
  /** Median offset of the SSD box centre from the FER frame centre, in FER frame sides. */
  centreDx: number;
  centreDy: number;
}

const median = (xs: number[]): number => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

export type CanvasPadding = 'grey' | 'replicate';

export async function studyCropMargin(data: FerData, indices: number[], padding: CanvasPadding = 'grey', upscale = 4): Promise<MarginStudy> {
  const faceapi = await loadFaceApiExpressionNet();
  if (!faceapi.nets.ssdMobilenetv1.isLoaded) await faceapi.nets.ssdMobilenetv1.loadFromDisk(faceApiModelDir());
  const side = FER_SIDE * upscale;
  // The face sits in the middle of a canvas twice its size: SSD needs room around a face to
  // fire at all. The border either repeats the frame's edge pixels or is flat mid grey.
  const canvas = side * 2;
  const ratios: number[] = [];
  const dx: number[] = [];
  const dy: number[] = [];
  for (const i of indices) {
    const face = ferImage(data, i);
    const input = tf.tidy(() => {
      let padded: tf.Tensor4D;
      if (padding === 'replicate') {
        const rgb = new Uint8Array(FER_SIDE * FER_SIDE * 3);
        for (let p = 0; p < face.length; p++) rgb.fill(face[p]!, p * 3, p * 3 + 3);
        const wide = cropFaceGrey({ data: rgb, width: FER_SIDE, height: FER_SIDE }, [0, 0, FER_SIDE, FER_SIDE], 1, FER_SIDE * 2);
        padded = tf.image.resizeBilinear(tf.tensor4d(wide.data, [1, FER_SIDE * 2, FER_SIDE * 2, 1]), [canvas, canvas]);
      } else {
        const g = tf.tensor4d(Float32Array.from(face), [1, FER_SIDE, FER_SIDE, 1]);
        const big = tf.image.resizeBilinear(g, [side, side]);
        padded = tf.pad(big, [[0, 0], [side / 2, side / 2], [side / 2, side / 2], [0, 0]], 128);
      }
      return tf.tile(padded, [1, 1, 1, 3]).squeeze([0]).round().toInt() as tf.Tensor3D;
    });
    const found = await faceapi.detectAllFaces(
      input as unknown as Parameters<typeof faceapi.detectAllFaces>[0],
      new faceapi.SsdMobilenetv1Options({ minConfidence: 0.3, maxResults: 1 }),
    );
    input.dispose();
    const d = found[0];
    if (!d) continue;
    const b = d.box;
    ratios.push(side / Math.max(b.width, b.height) - 1);
    dx.push((b.x + b.width / 2 - canvas / 2) / side);
    dy.push((b.y + b.height / 2 - canvas / 2) / side);
  }
  return {
    sampled: indices.length,
    detected: ratios.length,
    margin: median(ratios),
    q1: quantile(ratios, 0.25),
    q3: quantile(ratios, 0.75),
    centreDx: median(dx),
    centreDy: median(dy),
  };
}
