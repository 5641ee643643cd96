/** decode → detect → classify for one image file, with boxes mapped back to original pixels. */
import type { FaceResult } from '../../../shared/api.ts';
import { decodeImage } from '../decode/image.ts';
import { detectFaces, DEFAULT_DETECT, type DetectOptions } from '../faces/detect-faces.ts';
import type { FaceClassifier } from '../types.ts';
import { summariseFaces } from './summarise-faces.ts';

/** Longer side the detector sees; demo portraits are ≤768 px, scans are far larger. */
export const ANALYSIS_MAX_SIDE = 1024;

export interface ImageAnalysis {
  width: number;
  height: number;
  faces: FaceResult[];
  quadrant: FaceResult['quadrant'] | null;
  valence: number | null;
  arousal: number | null;
}

const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;

export async function analyseImage(
  file: string | Buffer,
  classifier: FaceClassifier,
  detect: DetectOptions = DEFAULT_DETECT,
): Promise<ImageAnalysis> {
  const { image, header, scale } = await decodeImage(file, ANALYSIS_MAX_SIDE);
  const detected = await detectFaces(image, detect);
  const emotions = await classifier.classify(image, detected.map((d) => d.box));
  const faces: FaceResult[] = detected.map((d, i) => {
    const e = emotions[i]!;
    return {
      box: d.box.map((v) => round(v / scale, 1)) as FaceResult['box'],
      score: round(d.score),
      quadrant: e.quadrant,
      probs: Object.fromEntries(Object.entries(e.quadrantProbs).map(([k, p]) => [k, round(p)])) as FaceResult['probs'],
      expressions: Object.fromEntries(Object.entries(e.expressionProbs).map(([k, p]) => [k, round(p)])) as FaceResult['expressions'],
      valence: round(e.valence),
      arousal: round(e.arousal),
    };
  });
  const summary = summariseFaces(faces);
  return {
    width: header.width,
    height: header.height,
    faces,
    quadrant: summary?.quadrant ?? null,
    valence: summary ? round(summary.valence) : null,
    arousal: summary ? round(summary.arousal) : null,
  };
}
