/**
 * What every classifier here shares: the FaceEmotion record built from probabilities, and
 * classify() on an RGB image implemented as crop-then-classify, so evaluation on FER-2013
 * (already 48×48 crops) and inference on portraits run the very same code after the crop.
 */
import { argmax, FACE_QUADRANTS, FER_LABELS, faceQuadrantProbs, vaFromFerProbs, type FaceQuadrant, type FerLabel } from '../../../shared/emotion.ts';
import type { Box, DecodedImage, FaceClassifier, FaceEmotion } from '../types.ts';
import { cropFaceGrey, type GreyImage } from './grey-image.ts';

export interface FaceCropClassifier extends FaceClassifier {
  /** Square crop margin used by classify(); see cropFaceGrey. */
  readonly cropMargin: number;
  /** Classifies 48×48 grey face crops (FER-2013's format). */
  classifyCrops(faces: GreyImage[]): Promise<FaceEmotion[]>;
}

function normalised(values: ArrayLike<number>): number[] {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += Math.max(0, values[i]!);
  return Array.from(values, (v) => (s > 0 ? Math.max(0, v) / s : 1 / values.length));
}

/**
 * `expr` in FER_LABELS order. `quad` (Q1, Q2, Q3, N order) when the model predicts the 4
 * classes itself; otherwise they are summed from the 7. Valence/arousal are the expected
 * circumplex point of the 7 expressions (vaFromFerProbs), or of `vaExpr` where a model reads its
 * point from sharpened expressions (cnn-classifier.ts).
 */
export function emotionFromProbs(expr: ArrayLike<number>, quad?: ArrayLike<number>, vaExpr?: ArrayLike<number>): FaceEmotion {
  const e = normalised(expr);
  const expressionProbs = Object.fromEntries(FER_LABELS.map((l, i) => [l, e[i]!])) as Record<FerLabel, number>;
  let quadrantProbs: Record<FaceQuadrant, number>;
  if (quad) {
    const q = normalised(quad);
    quadrantProbs = Object.fromEntries(FACE_QUADRANTS.map((l, i) => [l, q[i]!])) as Record<FaceQuadrant, number>;
  } else {
    quadrantProbs = faceQuadrantProbs(expressionProbs);
  }
  const va = vaFromFerProbs(vaExpr ? (Object.fromEntries(FER_LABELS.map((l, i) => [l, normalised(vaExpr)[i]!])) as Record<FerLabel, number>) : expressionProbs);
  return { quadrant: argmax(quadrantProbs), quadrantProbs, expressionProbs, valence: va.valence, arousal: va.arousal };
}

export async function classifyBoxes(
  classifier: Pick<FaceCropClassifier, 'cropMargin' | 'classifyCrops'>,
  image: DecodedImage,
  boxes: Box[],
): Promise<FaceEmotion[]> {
  if (boxes.length === 0) return [];
  return classifier.classifyCrops(boxes.map((b) => cropFaceGrey(image, b, classifier.cropMargin)));
}
