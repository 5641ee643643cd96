/** Types that pass between the engine's stages (scan → decode → detect/classify → catalog). */
import type { FaceQuadrant, FerLabel, MusicQuadrant } from '../../shared/emotion.ts';

/** A decoded image: packed RGB, 3 bytes per pixel, row by row, EXIF orientation applied. */
export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** [x, y, width, height] in pixels of the decoded (orientation-corrected) image. */
export type Box = [number, number, number, number];

export interface DetectedFace {
  box: Box;
  score: number;
}

/** What a face classifier says about one face. */
export interface FaceEmotion {
  quadrant: FaceQuadrant;
  /** Probabilities of the 4 face classes, summing to 1. */
  quadrantProbs: Record<FaceQuadrant, number>;
  /** Probabilities of the 7 FER expressions, summing to 1. */
  expressionProbs: Record<FerLabel, number>;
  valence: number;
  arousal: number;
}

/** Classifies the faces at `boxes` in `image`; one result per box, in order. */
export interface FaceClassifier {
  readonly name: string;
  classify(image: DecodedImage, boxes: Box[]): Promise<FaceEmotion[]>;
}

/** What the music model says about one song. */
export interface SongEmotion {
  quadrant: MusicQuadrant;
  probs: Record<MusicQuadrant, number>;
  valence: number;
  arousal: number;
}
