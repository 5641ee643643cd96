/** Face detection on a decoded image with face-api's SSD MobileNet v1. */
import * as tf from '@tensorflow/tfjs';
import type { Box, DecodedImage, DetectedFace } from '../types.ts';
import { loadFaceApi } from './face-api.ts';

export interface DetectOptions {
  /** Detector confidence below which a candidate is dropped. */
  minConfidence: number;
  maxFaces: number;
}

/** SSD at 0.4 keeps the painted faces that 0.5 loses without admitting much texture. */
export const DEFAULT_DETECT: DetectOptions = { minConfidence: 0.4, maxFaces: 20 };

export function imageTensor(image: DecodedImage): tf.Tensor3D {
  return tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
}

export async function detectFaces(image: DecodedImage, options: DetectOptions = DEFAULT_DETECT): Promise<DetectedFace[]> {
  const faceapi = await loadFaceApi();
  const input = imageTensor(image);
  try {
    const found = await faceapi.detectAllFaces(
      input as unknown as Parameters<typeof faceapi.detectAllFaces>[0],
      new faceapi.SsdMobilenetv1Options({ minConfidence: options.minConfidence, maxResults: options.maxFaces }),
    );
    return found.map((d) => ({ box: clampBox([d.box.x, d.box.y, d.box.width, d.box.height], image), score: d.score }));
  } finally {
    input.dispose();
  }
}

export function clampBox([x, y, w, h]: Box, image: { width: number; height: number }): Box {
  const x0 = Math.max(0, Math.min(image.width, x));
  const y0 = Math.max(0, Math.min(image.height, y));
  const x1 = Math.max(x0, Math.min(image.width, x + w));
  const y1 = Math.max(y0, Math.min(image.height, y + h));
  return [x0, y0, x1 - x0, y1 - y0];
}
