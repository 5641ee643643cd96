/**
 * The classifier the engine uses, loaded on first use. Where ONNX Runtime runs (ml/onnx-runtime.ts):
 * the face CNN trained end to end (cnn-classifier.ts), with the frozen-feature head averaged in as
 * models/faces/cnn/cnn.json says. Where only TF.js runs: the frozen-feature head alone (the CNN has
 * no TF.js graph); the analyser id names the runtime, so the two readings never mix in a catalog.
 * Its name carries a digest of the committed head and CNN settings, so a retrained model re-analyses
 * the catalog instead of mixing old and new readings (the graphs' own digest is in the runtime tag).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Box, DecodedImage, FaceClassifier, FaceEmotion } from '../types.ts';
import { modelsDir } from '../models-dir.ts';
import { loadTrainedFaceClassifier } from './trained-classifier.ts';
import { cnnConfigPath, loadCnnFaceClassifier } from './cnn-classifier.ts';
import type { FaceCropClassifier } from './face-emotion.ts';
import { chooseFaceRuntime } from '../ml/onnx-runtime.ts';

export class DefaultFaceClassifier implements FaceClassifier {
  readonly name: string;
  private loading: Promise<FaceCropClassifier> | null = null;

  constructor(private readonly dir = modelsDir()) {
    const digest = crypto.createHash('sha256');
    const head = path.join(dir, 'faces', 'head');
    for (const f of fs.readdirSync(head).sort()) digest.update(f).update(fs.readFileSync(path.join(head, f)));
    digest.update('cnn.json').update(fs.readFileSync(cnnConfigPath(dir)));
    this.name = `face-head:${digest.digest('hex').slice(0, 12)}`;
  }

  async classify(image: DecodedImage, boxes: Box[]): Promise<FaceEmotion[]> {
    if (boxes.length === 0) return [];
    this.loading ??= chooseFaceRuntime().then((r): Promise<FaceCropClassifier> | FaceCropClassifier => (r.name === 'onnx' ? loadCnnFaceClassifier(this.dir) : loadTrainedFaceClassifier(this.dir)));
    return (await this.loading).classify(image, boxes);
  }
}
