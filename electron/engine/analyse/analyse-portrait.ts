/** decode → detect → classify for one image file, with boxes mapped back to original pixels. */
import type { FaceResult } from '../../../shared/api.ts';
import { decodeImage } from '../decode/image.ts';
import { ART_DETECT_DEFAULT, ART_DETECT_FAST, detectFacesOnArt, type ArtDetectOptions } from '../faces/detect-art.ts';
import type { DecodedImage, FaceClassifier } from '../types.ts';
import type { Quadrant } from '../../../shared/emotion.ts';
import { summariseFaces } from './summarise-faces.ts';

/** Longer side the detector sees; demo portraits are ≤768 px, scans are far larger. */
export const ANALYSIS_MAX_SIDE = 1024;

/**
 * Detection presets: `art` finds faces in 60/60 demo portraits; `fast` in 58/60. `fast` was ~2×
 * quicker when `art` ran two SSD passes on every image; now that its second pass runs only where
 * the first finds nothing, `fast` is no quicker on portraits (bench:faces) and kept for the CLI flag.
 */
export const DETECT_PRESETS = { art: ART_DETECT_DEFAULT, fast: ART_DETECT_FAST } as const satisfies Record<string, ArtDetectOptions>;
export type DetectPreset = keyof typeof DETECT_PRESETS;

export interface ImageAnalysis {
  width: number;
  height: number;
  faces: FaceResult[];
  /** The quadrant the overall V/A point lies in (shared/emotion.ts summariseFaces). */
  quadrant: Quadrant | null;
  valence: number | null;
  arousal: number | null;
}

const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;

export async function analyseImage(
  file: string | Buffer,
  classifier: FaceClassifier,
  detect: DetectPreset = 'art',
): Promise<ImageAnalysis> {
  return (await analyseImagePixels(file, classifier, detect)).analysis;
}

/** analyseImage, also handing back the decoded pixels (the thumbnail is made from them). */
export async function analyseImagePixels(
  file: string | Buffer,
  classifier: FaceClassifier,
  detect: DetectPreset = 'art',
): Promise<{ analysis: ImageAnalysis; image: DecodedImage }> {
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
  const analysis = {
    width: header.width,
    height: header.height,
    faces,
    quadrant: summary?.quadrant ?? null,
    valence: summary ? round(summary.valence) : null,
    arousal: summary ? round(summary.arousal) : null,
  };
  return { analysis, image };
}
