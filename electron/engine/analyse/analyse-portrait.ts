/** decode → detect → classify for one image file, with boxes mapped back to original pixels. */
import type { FaceResult } from '../../../shared/api.ts';
import { decodeImage } from '../decode/image.ts';
import { ART_DETECT_DEFAULT, ART_DETECT_FAST, artDetectDigest, detectFacesOnArt, type ArtDetectOptions } from '../faces/detect-art.ts';
import type { DecodedImage, FaceClassifier } from '../types.ts';
import type { Quadrant } from '../../../shared/emotion.ts';
import { summariseFaces } from './summarise-faces.ts';
import { pictureMoodFrom, type PictureMood } from '../../../shared/picture-mood.ts';
import { pictureStats } from './picture-stats.ts';

/** Longer side the detector sees; demo portraits are ≤768 px, scans are far larger. */
export const ANALYSIS_MAX_SIDE = 1024;

/**
 * Detection presets (detect-art.ts; npm run bench:faces, ONNX Runtime, one thread):
 * - `art` (default): four looks, each only where the earlier found no face. Demo 60/60 found,
 *   55 counted right; face-free 0/21; dev set (art beyond paintings, tuned on it) 47/95 found,
 *   30 counted right, 2/24 false. Detector CPU ~100 ms per portrait where look 1 finds a face,
 *   ~510 ms on dev-set art and ~730 ms on face-free images (all four looks run there).
 * - `fast`: looks 1–2 only (the default before looks 3–4). Demo 60/55, face-free 0/21, dev
 *   26/95 found, 15 right, 2/24 false; ~100 ms of detector CPU per image everywhere. The same
 *   as `art` on portraits; the choice for big collections of art where most images hold no face.
 */
export const DETECT_PRESETS = { art: ART_DETECT_DEFAULT, fast: ART_DETECT_FAST } as const satisfies Record<string, ArtDetectOptions>;
export type DetectPreset = keyof typeof DETECT_PRESETS;

/** The preset's name and a digest of its settings, for the analyser id (changed settings re-analyse). */
export function detectPresetTag(preset: DetectPreset): string {
  return `${preset}.${artDetectDigest(DETECT_PRESETS[preset])}`;
}

export interface ImageAnalysis {
  width: number;
  height: number;
  faces: FaceResult[];
  /** The quadrant the overall V/A point lies in (shared/emotion.ts summariseFaces). */
  quadrant: Quadrant | null;
  valence: number | null;
  arousal: number | null;
  /** The picture's mood from colour and light, measured on every image; the reading only where no face is found. */
  mood: PictureMood | null;
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
    // On the pixels already decoded for the detector: a couple of milliseconds.
    mood: pictureMoodFrom(pictureStats(image)),
  };
  return { analysis, image };
}
