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
