/**
 * The app's emotion vocabulary: Russell's valence/arousal plane, its four quadrants and a
 * neutral centre. Pure data and arithmetic, shared by the engine, the CLI and the renderer.
 */

export const QUADRANTS = ['Q1', 'Q2', 'Q3', 'Q4', 'N'] as const;
export type Quadrant = (typeof QUADRANTS)[number];

/** Quadrants a song can carry: the 4Q music data has no neutral class. */
export const MUSIC_QUADRANTS = ['Q1', 'Q2', 'Q3', 'Q4'] as const;
export type MusicQuadrant = (typeof MUSIC_QUADRANTS)[number];

/** Quadrants a face model predicts: FER-2013 has no calm (Q4) class. */
export const FACE_QUADRANTS = ['Q1', 'Q2', 'Q3', 'N'] as const;
export type FaceQuadrant = (typeof FACE_QUADRANTS)[number];

/** A point on the circumplex; both axes in [-1, 1]. */
export interface VA {
  valence: number;
  arousal: number;
}

export interface QuadrantInfo {
  label: string;
  words: string;
  /** Badge colour, readable on dark and light backgrounds. */
  color: string;
  /** Where a typical member sits; used to place and to match. */
  centre: VA;
}

export const QUADRANT_INFO: Record<Quadrant, QuadrantInfo> = {
  Q1: { label: 'Q1', words: 'happy · excited', color: '#f5b400', centre: { valence: 0.6, arousal: 0.6 } },
  Q2: { label: 'Q2', words: 'angry · tense · afraid', color: '#e5484d', centre: { valence: -0.6, arousal: 0.6 } },
  Q3: { label: 'Q3', words: 'sad · low', color: '#3e7bfa', centre: { valence: -0.6, arousal: -0.6 } },
  Q4: { label: 'Q4', words: 'calm · relaxed', color: '#30a46c', centre: { valence: 0.6, arousal: -0.6 } },
  N: { label: 'N', words: 'neutral', color: '#8b8d98', centre: { valence: 0, arousal: 0 } },
};

/** FER-2013 label order (codes 0..6 in the data set). */
export const FER_LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;
export type FerLabel = (typeof FER_LABELS)[number];

/** The original project's 4-class target: surprise counts as high-arousal negative (Q2). */
export const FER_TO_QUADRANT: Record<FerLabel, FaceQuadrant> = {
  angry: 'Q2',
  disgust: 'Q2',
  fear: 'Q2',
  happy: 'Q1',
  sad: 'Q3',
  surprise: 'Q2',
  neutral: 'N',
};

/**
 * Where each expression sits on the circumplex. Angles follow Russell (1980) and the
 * expression placements of Scherer (2005), scaled to the unit disc. Surprise is given a
 * slightly negative valence so that its point agrees with the Q2 class it is counted in.
 */
export const FER_VA: Record<FerLabel, VA> = {
  angry: { valence: -0.6, arousal: 0.7 },
  disgust: { valence: -0.7, arousal: 0.35 },
  fear: { valence: -0.55, arousal: 0.75 },
  happy: { valence: 0.8, arousal: 0.45 },
  sad: { valence: -0.7, arousal: -0.45 },
  surprise: { valence: -0.1, arousal: 0.8 },
  neutral: { valence: 0, arousal: 0 },
};

export const clamp1 = (x: number): number => (x < -1 ? -1 : x > 1 ? 1 : x);

/** Expected V/A point of a distribution over FER expressions. */
export function vaFromFerProbs(probs: Partial<Record<FerLabel, number>>): VA {
  let v = 0;
  let a = 0;
  let total = 0;
  for (const label of FER_LABELS) {
    const p = probs[label] ?? 0;
    v += p * FER_VA[label].valence;
    a += p * FER_VA[label].arousal;
    total += p;
  }
  if (total <= 0) return { valence: 0, arousal: 0 };
  return { valence: clamp1(v / total), arousal: clamp1(a / total) };
}

/** Collapse 7 expression probabilities to the 4 face classes (Q1, Q2, Q3, N). */
export function faceQuadrantProbs(probs: Partial<Record<FerLabel, number>>): Record<FaceQuadrant, number> {
  const out: Record<FaceQuadrant, number> = { Q1: 0, Q2: 0, Q3: 0, N: 0 };
  for (const label of FER_LABELS) out[FER_TO_QUADRANT[label]] += probs[label] ?? 0;
  return out;
}

/** The key with the largest value; ties go to the earlier key in insertion order. */
export function argmax<K extends string>(scores: Record<K, number>): K {
  let best: K | undefined;
  for (const key of Object.keys(scores) as K[]) {
    if (best === undefined || scores[key] > scores[best]) best = key;
  }
  if (best === undefined) throw new Error('argmax of an empty record');
  return best;
}

/** The quadrant a point falls in; inside `neutralRadius` of the centre it is neutral. */
export function quadrantOfPoint(p: VA, neutralRadius = 0.15): Quadrant {
  if (Math.hypot(p.valence, p.arousal) < neutralRadius) return 'N';
  if (p.valence >= 0) return p.arousal >= 0 ? 'Q1' : 'Q4';
  return p.arousal >= 0 ? 'Q2' : 'Q3';
}

export function isQuadrant(x: unknown): x is Quadrant {
  return typeof x === 'string' && (QUADRANTS as readonly string[]).includes(x);
}
