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

/** Plain names for the quadrants, as a person would say them. */
export const QUADRANT_NAME: Record<Quadrant, string> = { Q1: 'happy', Q2: 'tense', Q3: 'sad', Q4: 'calm', N: 'neutral' };

/** The axes in words: valence runs unpleasant ↔ pleasant, arousal calm ↔ energetic. */
export const AXIS_WORDS = {
  valence: { low: 'unpleasant', high: 'pleasant', name: 'valence' },
  arousal: { low: 'calm', high: 'energetic', name: 'arousal' },
} as const;

/** Outside this distance from the centre a face point reads as one of the four quadrants. */
export const NEUTRAL_RADIUS = 0.15;

/** "slightly pleasant", "very energetic": one axis value in words. */
export function axisWords(axis: keyof typeof AXIS_WORDS, x: number): string {
  const w = AXIS_WORDS[axis];
  const m = Math.abs(x);
  if (m < 0.1) return axis === 'valence' ? 'neither pleasant nor unpleasant' : 'neither calm nor energetic';
  const side = x < 0 ? w.low : w.high;
  return m < 0.35 ? `slightly ${side}` : m < 0.65 ? side : `very ${side}`;
}

/**
 * How a face's (or a portrait's) area and detector confidence weigh it against other faces;
 * the same weight picks the dominant face for matching and averages a portrait's faces.
 */
export function faceWeight(face: { box: [number, number, number, number]; score: number }): number {
  return Math.max(1, face.box[2] * face.box[3]) * face.score;
}

/**
 * One reading of an emotion: the quadrant shown on the badge is the quadrant the V/A point
 * lies in, so the badge, the numbers and the plane can never disagree. The model's class
 * probability for that quadrant says how sure the reading is.
 */
export interface Reading {
  quadrant: Quadrant;
  valence: number;
  arousal: number;
  /** The model's probability for `quadrant`; null when the model has no such class (a face has no calm class). */
  probability: number | null;
  /**
   * 'person': a person set this reading by hand; it replaces the model's. 'picture-mood': read
   * from colour and light where no face was found (shared/picture-mood.ts), never a face's.
   */
  certainty: 'clear' | 'likely' | 'leaning' | 'position' | 'person' | 'picture-mood';
  /** "sad", "leaning sad, 47 %", "calm by position": what the badge's word means, for a person. */
  phrase: string;
}

const pct0 = (p: number): string => `${Math.round(p * 100)} %`;

export function readingOf(point: VA, probs: Partial<Record<Quadrant, number>> | null, neutralRadius: number): Reading {
  const quadrant = quadrantOfPoint(point, neutralRadius);
  const name = QUADRANT_NAME[quadrant];
  const p = probs && probs[quadrant] !== undefined ? probs[quadrant]! : null;
  let certainty: Reading['certainty'];
  let phrase: string;
  if (p === null) {
    certainty = 'position';
    phrase = `${name} by position (the model has no “${name}” class)`;
  } else if (p >= 0.7) {
    certainty = 'clear';
    phrase = `clearly ${name}, ${pct0(p)}`;
  } else if (p >= 0.5) {
    certainty = 'likely';
    phrase = `probably ${name}, ${pct0(p)}`;
  } else {
    certainty = 'leaning';
    phrase = `leaning ${name}, ${pct0(p)}`;
  }
  return { quadrant, valence: point.valence, arousal: point.arousal, probability: p, certainty, phrase };
}

/**
 * A person's own reading of a face or a song. Wherever the app reads an emotion (badge, plane,
 * matching, export) it takes this one instead of the model's; the model's stays stored beside it,
 * so undoing the correction brings it back.
 */
export interface PersonReading {
  quadrant: Quadrant;
  valence: number;
  arousal: number;
  /** ISO 8601. */
  setAt: string;
}

/**
 * The point and quadrant a correction stores: a quadrant alone sits at its centre; a point
 * (dragged on the plane) takes the quadrant it lies in, so the two never disagree.
 */
export function personPoint(req: { quadrant: Quadrant } | VA, neutralRadius: number): { quadrant: Quadrant; valence: number; arousal: number } {
  if ('quadrant' in req) return { quadrant: req.quadrant, ...QUADRANT_INFO[req.quadrant].centre };
  const p = { valence: clamp1(req.valence), arousal: clamp1(req.arousal) };
  return { quadrant: quadrantOfPoint(p, neutralRadius), ...p };
}

function personReading(c: PersonReading): Reading {
  return { quadrant: c.quadrant, valence: c.valence, arousal: c.arousal, probability: null, certainty: 'person', phrase: `${QUADRANT_NAME[c.quadrant]}, set by you` };
}

/** A face's reading: the person's when they set one, else from its class probabilities and V/A point. */
export function faceReading(face: { probs: Record<FaceQuadrant, number>; valence: number; arousal: number; correction?: PersonReading | null }): Reading {
  if (face.correction) return personReading(face.correction);
  return readingOf(face, face.probs, NEUTRAL_RADIUS);
}

/** A song's reading: songs have no neutral class, so every point away from an axis has a quadrant. */
export function songReading(song: { probs: Record<MusicQuadrant, number> | null; valence: number | null; arousal: number | null; correction?: PersonReading | null }): Reading | null {
  if (song.correction) return personReading(song.correction);
  if (song.valence === null || song.arousal === null) return null;
  return readingOf({ valence: song.valence, arousal: song.arousal }, song.probs, 0);
}

/** A portrait's overall emotion: its faces averaged by weight (area × confidence), read like one face. */
export function summariseFaces(
  faces: readonly { box: [number, number, number, number]; score: number; probs: Record<FaceQuadrant, number>; valence: number; arousal: number; correction?: PersonReading | null }[],
): (Reading & { probs: Record<FaceQuadrant, number> }) | null {
  if (faces.length === 0) return null;
  const probs: Record<FaceQuadrant, number> = { Q1: 0, Q2: 0, Q3: 0, N: 0 };
  let v = 0;
  let a = 0;
  let total = 0;
  for (const face of faces) {
    const w = faceWeight(face);
    const point = face.correction ?? face;
    for (const q of FACE_QUADRANTS) probs[q] += w * face.probs[q];
    v += w * point.valence;
    a += w * point.arousal;
    total += w;
  }
  for (const q of FACE_QUADRANTS) probs[q] /= total;
  const reading = readingOf({ valence: clamp1(v / total), arousal: clamp1(a / total) }, probs, NEUTRAL_RADIUS);
  // The model's probabilities no longer describe a point a person moved.
  if (faces.some((f) => f.correction)) {
    const phrase = faces.length === 1 ? `${QUADRANT_NAME[reading.quadrant]}, set by you` : `${QUADRANT_NAME[reading.quadrant]}, with your reading`;
    return { ...reading, probability: null, certainty: 'person', phrase, probs };
  }
  return { ...reading, probs };
}
