/**
 * The ONNX files of the face models (written by training/faces/onnx/export-onnx.ts into models/faces/onnx)
 * and their digest, which goes into the analyser id: re-exported graphs re-analyse the catalog.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { modelsDir } from '../models-dir.ts';

export const ONNX_FILES = { detector: 'ssd-mobilenet-v1.onnx', tinyDetector: 'tiny-face-detector.onnx', classifier: 'face-classifier.onnx', faceCnn: 'face-cnn.onnx' } as const;
/** The tiny detector graph is exported for one input size (416, as measured in the bench's catalogue; no preset uses it now); others run on TF.js. */
export const TINY_INPUT_SIZE = 416;
export type OnnxModel = keyof typeof ONNX_FILES;

export function onnxModelPath(model: OnnxModel, dir = modelsDir()): string {
  return path.join(dir, 'faces', 'onnx', ONNX_FILES[model]);
}

const digests = new Map<string, string>();

/** First 12 hex digits of the sha256 over both files (names and bytes). */
export function onnxModelsDigest(dir = modelsDir()): string {
  let d = digests.get(dir);
  if (!d) {
    const h = crypto.createHash('sha256');
    for (const m of Object.keys(ONNX_FILES) as OnnxModel[]) h.update(ONNX_FILES[m]).update(fs.readFileSync(onnxModelPath(m, dir)));
    d = h.digest('hex').slice(0, 12);
    digests.set(dir, d);
  }
  return d;
}
