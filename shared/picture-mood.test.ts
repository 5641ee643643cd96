import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NEUTRAL_RADIUS, quadrantOfPoint } from './emotion.ts';
import {
  isPictureMood, PICTURE_MOOD_CONFIDENCE, PICTURE_MOOD_REFERENCE, PICTURE_MOOD_SCALE, pictureMoodFrom, pictureMoodReading, portraitReading, readingKindOf,
} from './picture-mood.ts';

const face = (valence: number, arousal: number) => ({
  box: [10, 10, 100, 120] as [number, number, number, number], score: 0.9, probs: { Q1: 0.7, Q2: 0.1, Q3: 0.1, N: 0.1 }, valence, arousal,
});

test('bright, colourful pictures read more pleasant and more energetic than dark grey ones', () => {
  const bright = pictureMoodFrom({ brightness: 0.7, saturation: 0.35 });
  const darkGrey = pictureMoodFrom({ brightness: 0.15, saturation: 0.02 });
  assert.ok(bright.valence > 0, `bright valence ${bright.valence}`);
  assert.ok(darkGrey.valence < 0, `dark grey valence ${darkGrey.valence}`);
  assert.ok(bright.arousal > darkGrey.arousal, `arousal ${bright.arousal} vs ${darkGrey.arousal}`);
  assert.equal(quadrantOfPoint(bright, NEUTRAL_RADIUS), 'Q1');
});

test('Valdez & Mehrabian: brightness lifts pleasure and lowers arousal; saturation raises both', () => {
  const ref = PICTURE_MOOD_REFERENCE;
  const base = pictureMoodFrom({ brightness: ref.brightness.mean, saturation: ref.saturation.mean });
  assert.deepEqual([base.valence, base.arousal], [0, 0], 'the reference set’s average picture sits at the centre');
  const brighter = pictureMoodFrom({ brightness: ref.brightness.mean + ref.brightness.sd, saturation: ref.saturation.mean });
  const vivid = pictureMoodFrom({ brightness: ref.brightness.mean, saturation: ref.saturation.mean + ref.saturation.sd });
  // One SD brighter: +0.69 pleasure, −0.31 arousal, each over twice the reference SD of the result.
  assert.ok(Math.abs(brighter.valence - 0.69 / PICTURE_MOOD_SCALE.valence) < 1e-3);
  assert.ok(Math.abs(brighter.arousal + 0.31 / PICTURE_MOOD_SCALE.arousal) < 1e-3);
  assert.ok(Math.abs(vivid.valence - 0.22 / PICTURE_MOOD_SCALE.valence) < 1e-3);
  assert.ok(Math.abs(vivid.arousal - 0.6 / PICTURE_MOOD_SCALE.arousal) < 1e-3);
});

test('readings stay on the axes, keep their measures and a confidence below a face’s', () => {
  const extreme = pictureMoodFrom({ brightness: 1, saturation: 1.3 });
  assert.ok(extreme.valence <= 1 && extreme.arousal <= 1);
  const black = pictureMoodFrom({ brightness: 0, saturation: 0 });
  assert.ok(black.valence >= -1 && black.arousal >= -1);
  assert.equal(extreme.confidence, PICTURE_MOOD_CONFIDENCE);
  assert.ok(PICTURE_MOOD_CONFIDENCE < 0.5, 'below what a face reading needs to be called “probably”');
  assert.equal(extreme.brightness, 1);
  assert.ok(isPictureMood(extreme) && isPictureMood(black));
  assert.equal(isPictureMood({ ...black, valence: 3 }), false);
  assert.equal(isPictureMood({ valence: 0, arousal: 0 }), false);
  assert.equal(isPictureMood(null), false);
});

test('a picture mood is named as one, never as a face', () => {
  const r = pictureMoodReading(pictureMoodFrom({ brightness: 0.7, saturation: 0.35 }));
  assert.equal(r.certainty, 'picture-mood');
  assert.equal(r.probability, null);
  assert.match(r.phrase, /picture mood/);
  assert.doesNotMatch(r.phrase, /face(?!;| found)/i);
  assert.match(r.phrase, /no face/);
});

test('a face always wins over the picture mood; the picture mood reads only without faces, and only when on', () => {
  const mood = pictureMoodFrom({ brightness: 0.15, saturation: 0.02 });
  const withFace = portraitReading({ faces: [face(0.7, 0.5)], mood });
  assert.equal(withFace?.kind, 'faces');
  assert.equal(withFace?.quadrant, 'Q1');
  assert.equal(readingKindOf({ faces: [face(0.7, 0.5)], mood }), 'faces');
  const faceless = portraitReading({ faces: [], mood });
  assert.equal(faceless?.kind, 'picture-mood');
  assert.equal(faceless?.valence, mood.valence);
  assert.equal(readingKindOf({ faces: [], mood }), 'picture-mood');
  assert.equal(portraitReading({ faces: [], mood }, false), null, 'turned off: no reading');
  assert.equal(portraitReading({ faces: [], mood: null }), null);
  assert.equal(readingKindOf({ faces: [], mood: null }), null);
});
