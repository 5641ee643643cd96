/**
 * The first face classifier: face-api's shipped expression net (FER-style 7 expressions),
 * mapped to the app's quadrants. The trained model of the face-emotion work replaces it.
 */
import { argmax, FER_LABELS, faceQuadrantProbs, vaFromFerProbs, type FerLabel } from '../../../shared/emotion.ts';
import type { Box, DecodedImage, FaceClassifier, FaceEmotion } from '../types.ts';
import { loadFaceApi } from './face-api.ts';
import { imageTensor } from './detect-faces.ts';

/** face-api names two labels differently from FER-2013. */
const FACE_API_TO_FER: Record<string, FerLabel> = {
  neutral: 'neutral',
  happy: 'happy',
  sad: 'sad',
  angry: 'angry',
  fearful: 'fear',
  disgusted: 'disgust',
  surprised: 'surprise',
};

export function emotionFromFerProbs(expressionProbs: Record<FerLabel, number>): FaceEmotion {
  const quadrantProbs = faceQuadrantProbs(expressionProbs);
  const va = vaFromFerProbs(expressionProbs);
  return { quadrant: argmax(quadrantProbs), quadrantProbs, expressionProbs, valence: va.valence, arousal: va.arousal };
}

export class ExpressionNetClassifier implements FaceClassifier {
  readonly name = 'face-api faceExpressionNet';

  async classify(image: DecodedImage, boxes: Box[]): Promise<FaceEmotion[]> {
    if (boxes.length === 0) return [];
    const faceapi = await loadFaceApi();
    const input = imageTensor(image);
    const crops = await faceapi.extractFaceTensors(
      input as unknown as Parameters<typeof faceapi.extractFaceTensors>[0],
      boxes.map(([x, y, w, h]) => new faceapi.Rect(x, y, Math.max(1, w), Math.max(1, h))),
    );
    input.dispose();
    try {
      const out: FaceEmotion[] = [];
      for (const crop of crops) {
        const raw = (await faceapi.nets.faceExpressionNet.predictExpressions(crop)) as unknown as Record<string, number>;
        const probs = Object.fromEntries(FER_LABELS.map((l) => [l, 0])) as Record<FerLabel, number>;
        for (const [name, p] of Object.entries(raw)) {
          const label = FACE_API_TO_FER[name];
          if (label) probs[label] = p;
        }
        out.push(emotionFromFerProbs(probs));
      }
      return out;
    } finally {
      for (const crop of crops) crop.dispose();
    }
  }
}
