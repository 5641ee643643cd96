/** decode → detect → classify for one image file, with boxes mapped back to original pixels. */
import type { FaceResult } from '../../../shared/api.ts';
import { decodeImage } from '../decode/image.ts';
import { ART_DETECT_DEFAULT, ART_DETECT_FAST, detectFacesOnArt, type ArtDetectOptions } from '../faces/detect-art.ts';
import type { FaceClassifier } from '../types.ts';
import { summariseFaces } from './summarise-faces.ts';

/** Longer side the detector sees; demo portraits are ≤768 px, scans are far larger. */
export const ANALYSIS_MAX_SIDE = 1024;

/** Detection presets: `art` finds faces in 60/60 demo portraits; `fast` is ~2× quicker (58/60). */
export const DETECT_PRESETS = { art: ART_DETECT_DEFAULT, fast: ART_DETECT_FAST } as const satisfies Record<string, ArtDetectOptions>;
export type DetectPreset = keyof typeof DETECT_PRESETS;

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
  detect: DetectPreset = 'art',
): Promise<ImageAnalysis> {
  const { image, header, scale } = await decodeImage(file, ANALYSIS_MAX_SIDE);
  const detected = await detectFacesOnArt(image, DETECT_PRESETS[detect]);
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
