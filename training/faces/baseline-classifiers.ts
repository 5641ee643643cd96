/**
 * The two shipped-as-is baselines the trained model is measured against: face-api's
 * expression net and the mini-Xception model, each mapped to the 4 face classes by summing
 * its 7 probabilities (FER_TO_QUADRANT).
 */
import type * as tf from '@tensorflow/tfjs';
import type { Box, DecodedImage, FaceEmotion } from '../../electron/engine/types.ts';
import { classifyBoxes, emotionFromProbs, type FaceCropClassifier } from '../../electron/engine/classify/face-emotion.ts';
import { faceApiExpressionProbs } from '../../electron/engine/classify/face-api-features.ts';
import type { GreyImage } from '../../electron/engine/classify/grey-image.ts';
import { loadMiniXception, miniXceptionFeatures, miniXceptionProbs } from '../../electron/engine/classify/mini-xception.ts';

/** Batches keep the wasm heap small on group photos and on whole test splits. */
const BATCH = 128;

async function inBatches(faces: GreyImage[], run: (batch: GreyImage[]) => Promise<FaceEmotion[]>): Promise<FaceEmotion[]> {
  const out: FaceEmotion[] = [];
  for (let s = 0; s < faces.length; s += BATCH) out.push(...(await run(faces.slice(s, s + BATCH))));
  return out;
}

export class FaceExpressionNetClassifier implements FaceCropClassifier {
  readonly name = 'face-api faceExpressionNet';
  constructor(readonly cropMargin = 0.25) {}

  classify(image: DecodedImage, boxes: Box[]): Promise<FaceEmotion[]> {
    return classifyBoxes(this, image, boxes);
  }

  classifyCrops(faces: GreyImage[]): Promise<FaceEmotion[]> {
    return inBatches(faces, async (b) => (await faceApiExpressionProbs(b)).map((p) => emotionFromProbs(p)));
  }
}

export class MiniXceptionClassifier implements FaceCropClassifier {
  readonly name = 'mini-Xception (oarriaga, via @vladmandic/human)';
  constructor(
    private readonly model: tf.GraphModel,
    readonly cropMargin = 0.25,
  ) {}

  classify(image: DecodedImage, boxes: Box[]): Promise<FaceEmotion[]> {
    return classifyBoxes(this, image, boxes);
  }

  classifyCrops(faces: GreyImage[]): Promise<FaceEmotion[]> {
    return inBatches(faces, async (b) => miniXceptionProbs(await miniXceptionFeatures(this.model, b), b.length).map((p) => emotionFromProbs(p)));
  }
}

/** `facesDir` is models/faces. */
export async function loadMiniXceptionClassifier(facesDir: string, cropMargin?: number): Promise<MiniXceptionClassifier> {
  return new MiniXceptionClassifier(await loadMiniXception(facesDir), cropMargin);
}
