import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FER_LABELS, FER_TO_QUADRANT, FER_VA, faceQuadrantProbs, quadrantOfPoint, vaFromFerProbs, argmax } from './emotion.ts';

test('each expression point lies in the quadrant it is counted in', () => {
  for (const label of FER_LABELS) {
    const q = FER_TO_QUADRANT[label];
    assert.equal(quadrantOfPoint(FER_VA[label]), q, label);
  }
});

test('V/A of a distribution is the probability-weighted mean and stays in [-1, 1]', () => {
  const va = vaFromFerProbs({ happy: 0.5, sad: 0.5 });
  assert.ok(Math.abs(va.valence - (0.8 - 0.7) / 2) < 1e-9);
  assert.ok(Math.abs(va.arousal - (0.45 - 0.45) / 2) < 1e-9);
  assert.deepEqual(vaFromFerProbs({}), { valence: 0, arousal: 0 });
});

test('4-class probabilities sum the mapped expressions', () => {
  const p = faceQuadrantProbs({ angry: 0.1, disgust: 0.1, fear: 0.1, surprise: 0.1, happy: 0.2, sad: 0.15, neutral: 0.25 });
  assert.ok(Math.abs(p.Q2 - 0.4) < 1e-9);
  assert.equal(argmax(p), 'Q2');
  assert.ok(Math.abs(p.Q1 + p.Q2 + p.Q3 + p.N - 1) < 1e-9);
});

test('points near the centre are neutral', () => {
  assert.equal(quadrantOfPoint({ valence: 0.05, arousal: -0.05 }), 'N');
  assert.equal(quadrantOfPoint({ valence: 0.5, arousal: -0.5 }), 'Q4');
  assert.equal(quadrantOfPoint({ valence: -0.5, arousal: -0.5 }), 'Q3');
});

test('a reading: the badge quadrant is where the point lies, with the model\'s probability in words', async () => {
  const { faceReading, summariseFaces, songReading, axisWords } = await import('./emotion.ts');
  // The review's face: 48 % neutral, 47 % sad, point in the sad quadrant.
  const r = faceReading({ probs: { Q1: 0.02, Q2: 0.03, Q3: 0.47, N: 0.48 }, valence: -0.33, arousal: -0.21 });
  assert.equal(r.quadrant, 'Q3');
  assert.equal(r.phrase, 'leaning sad, 47 %');
  assert.equal(faceReading({ probs: { Q1: 0.9, Q2: 0.05, Q3: 0, N: 0.05 }, valence: 0.7, arousal: 0.4 }).phrase, 'clearly happy, 90 %');
  // A face has no calm class: a point in Q4 says so instead of inventing a probability.
  const calm = faceReading({ probs: { Q1: 0.45, Q2: 0, Q3: 0.1, N: 0.45 }, valence: 0.3, arousal: -0.2 });
  assert.equal(calm.quadrant, 'Q4');
  assert.equal(calm.probability, null);
  assert.match(calm.phrase, /calm by position/);
  // The review's portrait: labelled neutral, valence −0.32, arousal −0.20. Its summary reads sad.
  const s = summariseFaces([
    { box: [0, 0, 100, 100], score: 0.9, probs: { Q1: 0.1, Q2: 0.1, Q3: 0.2, N: 0.6 }, valence: -0.15, arousal: -0.1 },
    { box: [0, 0, 90, 90], score: 0.9, probs: { Q1: 0, Q2: 0.04, Q3: 0.91, N: 0.05 }, valence: -0.66, arousal: -0.42 },
  ])!;
  assert.equal(s.quadrant, quadrantOfPoint(s));
  assert.equal(s.quadrant, 'Q3');
  // A "Q3" song whose point lies in Q2 reads Q2 everywhere: badge, plane and matching agree.
  assert.equal(songReading({ probs: { Q1: 0, Q2: 0.3, Q3: 0.6, Q4: 0.1 }, valence: -0.4, arousal: 0.1 })!.quadrant, 'Q2');
  assert.equal(songReading({ probs: null, valence: null, arousal: null }), null);
  assert.equal(axisWords('valence', -0.32), 'slightly unpleasant');
  assert.equal(axisWords('arousal', 0.7), 'very energetic');
  assert.equal(axisWords('arousal', -0.5), 'calm');
});
