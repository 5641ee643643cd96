/** A portrait's overall emotion from its faces: each face weighs by its area times confidence. */
import type { FaceResult } from '../../../shared/api.ts';
import { argmax, clamp1, FACE_QUADRANTS, type FaceQuadrant } from '../../../shared/emotion.ts';
import { faceWeight } from '../../../shared/match.ts';


export function summariseFaces(faces: FaceResult[]): { quadrant: FaceQuadrant; valence: number; arousal: number } | null {
  if (faces.length === 0) return null;
  const probs = Object.fromEntries(FACE_QUADRANTS.map((q) => [q, 0])) as Record<FaceQuadrant, number>;
  let v = 0;
  let a = 0;
  let total = 0;
  for (const face of faces) {
    const w = faceWeight(face);
    for (const q of FACE_QUADRANTS) probs[q] += w * face.probs[q];
    v += w * face.valence;
    a += w * face.arousal;
    total += w;
  }
  return { quadrant: argmax(probs), valence: clamp1(v / total), arousal: clamp1(a / total) };
}
