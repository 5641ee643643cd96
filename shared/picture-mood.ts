/**
 * A picture's mood from its colour and light, for portraits where no face is found (landscapes,
 * still lifes, faces the detector misses). It is never a face: it is named "picture mood"
 * wherever it is shown or exported, carries a low fixed confidence, and a face always wins.
 *
 * The mapping is Valdez & Mehrabian (1994), "Effects of color on emotions", J. Exp. Psychol.
 * General 123(4): standardised regressions of pleasure and arousal on a colour's brightness and
 * saturation,
 *   pleasure = 0.69 · brightness + 0.22 · saturation
 *   arousal  = −0.31 · brightness + 0.60 · saturation
 * as used for whole images by Machajdik & Hanbury (2010). They measured Munsell value and chroma;
 * we use their nearest sRGB measure, CIELAB lightness L* and chroma C*ab, averaged over the
 * picture (electron/engine/analyse/picture-stats.ts), expressed as L* ÷ 100 and C*ab ÷ 100.
 *
 * Rescaling to the app's [-1, 1] axes: the coefficients are standardised (beta) weights, so
 * brightness and saturation are first turned into z-scores against a reference set (the 60 demo
 * portraits in shared/data/portraits/demo: their means and standard deviations below); the
 * pleasure and arousal this gives are divided by twice their own standard deviation over the
 * same set (so the reference set's ±2 SD spans the axis) and clamped to [-1, 1]. A picture as
 * bright and as colourful as the average demo portrait sits at the centre.
 * training/picture-mood/picture-mood-reference.ts recomputes the reference numbers.
 *
 * Pure data and arithmetic: shared by the engine, the export and the renderer.
 */
import { clamp1, NEUTRAL_RADIUS, QUADRANT_NAME, readingOf, summariseFaces, type Reading } from './emotion.ts';

/** Part of the portrait analyser's id (Engine.analyser): a new mapping re-analyses old catalogs. */
export const PICTURE_MOOD_VERSION = 'mood:vm1994-lab-1';

/** What a portrait's reading comes from: its faces, or (no face found) its colour and light. */
export const READING_KINDS = ['faces', 'picture-mood'] as const;
export type ReadingKind = (typeof READING_KINDS)[number];

export interface PictureMood {
  /** On the app's axes, [-1, 1]. */
  valence: number;
  arousal: number;
  /** Mean CIELAB lightness L* / 100 of the picture, 0..1. */
  brightness: number;
  /** Mean CIELAB chroma C*ab / 100 of the picture, 0..~1.3 (vivid sRGB reaches C* ≈ 130). */
  saturation: number;
  /** How far the reading may be trusted, 0..1; always PICTURE_MOOD_CONFIDENCE, below any face. */
  confidence: number;
}

/** Valdez & Mehrabian (1994), standardised coefficients. */
export const VALDEZ_MEHRABIAN = {
  pleasure: { brightness: 0.69, saturation: 0.22 },
  arousal: { brightness: -0.31, saturation: 0.6 },
} as const;

/** Statistics of the reference set (the 60 demo portraits), measured as in picture-stats.ts. */
export const PICTURE_MOOD_REFERENCE = {
  images: 60,
  brightness: { mean: 0.318, sd: 0.1549 },
  saturation: { mean: 0.1285, sd: 0.057 },
  /** Pearson correlation of brightness and saturation over the set. */
  correlation: 0.2248,
} as const;

/** The SD of a·zB + b·zS over the reference set, from the two weights and the correlation. */
function referenceSd(w: { brightness: number; saturation: number }): number {
  const r = PICTURE_MOOD_REFERENCE.correlation;
  return Math.sqrt(w.brightness ** 2 + w.saturation ** 2 + 2 * w.brightness * w.saturation * r);
}

/** Pleasure and arousal are divided by these (2 SD over the reference set) to land on [-1, 1]. */
export const PICTURE_MOOD_SCALE = {
  valence: 2 * referenceSd(VALDEZ_MEHRABIAN.pleasure),
  arousal: 2 * referenceSd(VALDEZ_MEHRABIAN.arousal),
} as const;

/**
 * Colour and light say far less about a picture's feeling than a face does: a fixed confidence
 * below the 0.5 a face reading needs to be called "probably". Matching uses it: a picture mood
 * is matched by distance alone, never held to its quadrant (shared/match.ts).
 */
export const PICTURE_MOOD_CONFIDENCE = 0.3;

const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** The picture mood of an image whose mean L* ÷ 100 is `brightness` and mean C*ab ÷ 100 `saturation`. */
export function pictureMoodFrom(stats: { brightness: number; saturation: number }): PictureMood {
  const ref = PICTURE_MOOD_REFERENCE;
  const zB = (stats.brightness - ref.brightness.mean) / ref.brightness.sd;
  const zS = (stats.saturation - ref.saturation.mean) / ref.saturation.sd;
  const pleasure = VALDEZ_MEHRABIAN.pleasure.brightness * zB + VALDEZ_MEHRABIAN.pleasure.saturation * zS;
  const arousal = VALDEZ_MEHRABIAN.arousal.brightness * zB + VALDEZ_MEHRABIAN.arousal.saturation * zS;
  return {
    valence: round(clamp1(pleasure / PICTURE_MOOD_SCALE.valence)),
    arousal: round(clamp1(arousal / PICTURE_MOOD_SCALE.arousal)),
    brightness: round(stats.brightness),
    saturation: round(stats.saturation),
    confidence: PICTURE_MOOD_CONFIDENCE,
  };
}

const unit = (x: unknown, lo: number, hi: number): x is number => typeof x === 'number' && Number.isFinite(x) && x >= lo && x <= hi;

/** True for a well-formed PictureMood (the catalog's JSON is checked before it is trusted). */
export function isPictureMood(x: unknown): x is PictureMood {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Record<string, unknown>;
  return unit(m.valence, -1, 1) && unit(m.arousal, -1, 1) && unit(m.brightness, 0, 1) && unit(m.saturation, 0, 2) && unit(m.confidence, 0, 1);
}

/** A picture mood read like a face's point: the quadrant it lies in, with words that say what it is. */
export function pictureMoodReading(mood: PictureMood): Reading {
  const r = readingOf({ valence: mood.valence, arousal: mood.arousal }, null, NEUTRAL_RADIUS);
  return { ...r, certainty: 'picture-mood', phrase: `${QUADRANT_NAME[r.quadrant]} picture mood, from colour and light (no face; low confidence)` };
}

/**
 * A portrait's reading and where it comes from: its faces whenever it has any; otherwise its
 * picture mood, unless the person turned picture moods off; otherwise none.
 */
export function portraitReading(
  portrait: { faces: Parameters<typeof summariseFaces>[0]; mood?: PictureMood | null },
  usePictureMood = true,
): (Reading & { kind: ReadingKind }) | null {
  const faces = summariseFaces(portrait.faces);
  if (faces) return { ...faces, kind: 'faces' };
  if (usePictureMood && portrait.mood) return { ...pictureMoodReading(portrait.mood), kind: 'picture-mood' };
  return null;
}

/** The kind of reading a portrait's stored analysis offers (before the person's setting). */
export function readingKindOf(portrait: { faces: readonly unknown[]; mood?: PictureMood | null }): ReadingKind | null {
  return portrait.faces.length > 0 ? 'faces' : portrait.mood ? 'picture-mood' : null;
}
