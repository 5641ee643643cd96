/**
 * The classifier the engine uses: the trained face head from models/faces, loaded on first
 * use, on ONNX Runtime where it runs (ml/onnx-runtime.ts), else on TF.js. Its name carries a digest of the committed weights, so a retrained model re-analyses
 * the catalog instead of mixing old and new readings.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Box, DecodedImage, FaceClassifier, FaceEmotion } from '../types.ts';
import { modelsDir } from '../models-dir.ts';
import { loadTrainedFaceClassifier } from './trained-classifier.ts';
import { loadOnnxFaceClassifier } from './onnx-classifier.ts';
import type { FaceCropClassifier } from './face-emotion.ts';
import { chooseFaceRuntime } from '../ml/onnx-runtime.ts';

export class DefaultFaceClassifier implements FaceClassifier {
  readonly name: string;
  private loading: Promise<FaceCropClassifier> | null = null;

  constructor(private readonly dir = modelsDir()) {
    const head = path.join(dir, 'faces', 'head');
    const digest = crypto.createHash('sha256');
    for (const f of fs.readdirSync(head).sort()) digest.update(f).update(fs.readFileSync(path.join(head, f)));
    this.name = `face-head:${digest.digest('hex').slice(0, 12)}`;
  }

  async classify(image: DecodedImage, boxes: Box[]): Promise<FaceEmotion[]> {
    if (boxes.length === 0) return [];
    // The exported graph where ONNX Runtime runs; the TF.js original (its reference) elsewhere.
    this.loading ??= chooseFaceRuntime().then((r): Promise<FaceCropClassifier> | FaceCropClassifier => (r.name === 'onnx' ? loadOnnxFaceClassifier(this.dir) : loadTrainedFaceClassifier(this.dir)));
    return (await this.loading).classify(image, boxes);
  }
}
