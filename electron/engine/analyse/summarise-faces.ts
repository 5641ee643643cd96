/**
 * A portrait's overall emotion from its faces. The arithmetic lives in shared/emotion.ts so that
 * the catalog, the renderer's badge and the V/A plane all use the same reading.
 */
import type { FaceResult } from '../../../shared/api.ts';
import { summariseFaces as summarise, type Quadrant } from '../../../shared/emotion.ts';

export function summariseFaces(faces: FaceResult[]): { quadrant: Quadrant; valence: number; arousal: number } | null {
  const r = summarise(faces);
  return r ? { quadrant: r.quadrant, valence: r.valence, arousal: r.arousal } : null;
}
