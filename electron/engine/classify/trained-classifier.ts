/**
 * The face-emotion model that ships: frozen features from face-api's expression trunk (and,
 * if the committed head was trained with them, the mini-Xception model's), a trained dense
 * head, and optional mirror-image test-time averaging. See models/faces/MODEL_CARD.md.
 */
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { Box, DecodedImage, FaceEmotion } from '../types.ts';
import { loadHead, assembleFeatures, predictHead, type TrainedHead } from './emotion-head.ts';
import { classifyBoxes, emotionFromProbs, type FaceCropClassifier } from './face-emotion.ts';
import { faceApiFeatures } from './face-api-features.ts';
import { flipGrey, type GreyImage } from './grey-image.ts';
import { loadMiniXception, miniXceptionFeatures } from './mini-xception.ts';

const BATCH = 128;

export class TrainedFaceClassifier implements FaceCropClassifier {
  readonly name: string;
  readonly cropMargin: number;

  constructor(
    private readonly head: TrainedHead,
    private readonly miniXception: tf.GraphModel | null,
    name = 'Portrait Songs face head',
  ) {
    this.name = name;
    this.cropMargin = head.config.cropMargin;
  }

  get usesMiniXception(): boolean {
    return this.head.config.features.some((f) => f !== 'faceapi');
  }

  classify(image: DecodedImage, boxes: Box[]): Promise<FaceEmotion[]> {
    return classifyBoxes(this, image, boxes);
  }

  async classifyCrops(faces: GreyImage[]): Promise<FaceEmotion[]> {
    const out: FaceEmotion[] = [];
    for (let s = 0; s < faces.length; s += BATCH) out.push(...(await this.classifyBatch(faces.slice(s, s + BATCH))));
    return out;
  }

  private async probs(faces: GreyImage[]): Promise<{ expr: Float32Array; quad: Float32Array }> {
    const sets = this.head.config.features;
    const fa = sets.includes('faceapi') ? await faceApiFeatures(faces) : null;
    let mx: Float32Array | null = null;
    if (this.usesMiniXception) {
      if (!this.miniXception) throw new Error('This face head needs the mini-Xception model');
      mx = await miniXceptionFeatures(this.miniXception, faces);
    }
    return predictHead(this.head, assembleFeatures(sets, faces.length, fa, mx));
  }

  private async classifyBatch(faces: GreyImage[]): Promise<FaceEmotion[]> {
    const views = this.head.config.flipTta ? [faces, faces.map(flipGrey)] : [faces];
    const preds: { expr: Float32Array; quad: Float32Array }[] = [];
    for (const v of views) preds.push(await this.probs(v));
    const useHeadQuad = this.head.config.quadrantSource === 'head';
    return faces.map((_, k) => {
      const expr = new Float32Array(7);
      const quad = new Float32Array(4);
      for (const p of preds) {
        for (let i = 0; i < 7; i++) expr[i]! += p.expr[k * 7 + i]! / preds.length;
        for (let i = 0; i < 4; i++) quad[i]! += p.quad[k * 4 + i]! / preds.length;
      }
      return emotionFromProbs(expr, useHeadQuad ? quad : undefined);
    });
  }
}

/** `modelsDir` is the app's models/ folder (holding faces/head/ and faces/mini-xception/). */
export async function loadTrainedFaceClassifier(modelsDir: string, headDir = path.join(modelsDir, 'faces', 'head')): Promise<TrainedFaceClassifier> {
  const head = await loadHead(headDir);
  const needsMx = head.config.features.some((f) => f !== 'faceapi');
  const mx = needsMx ? await loadMiniXception(path.join(modelsDir, 'faces')) : null;
  return new TrainedFaceClassifier(head, mx);
}
