import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MUSIC_QUADRANTS, argmax, quadrantOfPoint, songReading, type MusicQuadrant } from '../../../shared/emotion.ts';
import { rng } from '../ml/rng.ts';
import { FEATURE_COUNT, FEATURE_NAMES, FEATURE_VERSION } from './features.ts';
import { AXIS_MARGIN, MusicModel, vaFromQuadrantProbs } from './model.ts';

const record = (p: number[]) => Object.fromEntries(MUSIC_QUADRANTS.map((q, k) => [q, p[k]!])) as Record<MusicQuadrant, number>;

/** A one-member model whose probabilities are `p` whatever the features (zero weights, log-p biases). */
function constantModel(p: number[], temperature?: number): MusicModel {
  return new MusicModel({
    format: 'portrait-songs/music-emotion@2',
    classes: [...MUSIC_QUADRANTS],
    featureNames: [...FEATURE_NAMES],
    featureVersion: FEATURE_VERSION,
    ...(temperature === undefined ? {} : { temperature }),
    members: [{ views: [0], inputs: [0], logInputs: [false], mean: [0], std: [1], heads: [{ type: 'linear', W: p.map(() => [0]), b: p.map(Math.log) }] }],
    window: { seconds: 30, sampleRate: 22050, policy: 'test' },
  });
}

test('a Q4 song whose expected valence is negative still sits in Q4 on the plane', () => {
  // P(Q4) is the largest, yet P(Q1)+P(Q4) < P(Q2)+P(Q3): the plain expectation has valence −0.16.
  const p = [0.1, 0.3, 0.28, 0.32];
  const song = constantModel(p).predict(new Float32Array(FEATURE_COUNT));
  assert.equal(song.quadrant, 'Q4');
  assert.ok(song.valence > 0, `valence ${song.valence} is on Q4's side`);
  assert.ok(song.arousal < 0, `arousal ${song.arousal} is on Q4's side`);
  assert.equal(song.valence, AXIS_MARGIN, 'moved just across the axis, not to a confident corner');
  assert.ok(Math.abs(song.arousal - (0.1 + 0.3 - 0.28 - 0.32)) < 1e-9, 'a coordinate already on the right side is the expectation');
  // What the app shows: the badge comes from the point and must name the same quadrant.
  assert.equal(songReading(song)?.quadrant, 'Q4');
});

test('the song point always lies in the most probable quadrant (10,000 random distributions)', () => {
  const rand = rng(11);
  let moved = 0;
  for (let i = 0; i < 10_000; i++) {
    // Concentrate some draws near ties, where the expectation most often disagrees.
    const raw = MUSIC_QUADRANTS.map(() => (i % 2 ? rand() : 1 + 0.2 * rand()));
    const s = raw.reduce((a, v) => a + v, 0);
    const probs = record(raw.map((v) => v / s));
    const q = argmax(probs);
    const point = vaFromQuadrantProbs(probs);
    assert.equal(quadrantOfPoint(point, 0), q, `probs ${JSON.stringify(probs)} → ${JSON.stringify(point)}`);
    const plain = { valence: probs.Q1 + probs.Q4 - probs.Q2 - probs.Q3, arousal: probs.Q1 + probs.Q2 - probs.Q3 - probs.Q4 };
    if (quadrantOfPoint(plain, 0) !== q) moved++;
    else assert.deepEqual(point, plain, 'an agreeing expectation is left as it is');
  }
  assert.ok(moved > 100, `the random draws exercise the disagreeing case (${moved} times)`);
});

test('the calibration temperature changes confidence, not the quadrant', () => {
  const p = [0.15, 0.45, 0.25, 0.15];
  const features = new Float32Array(FEATURE_COUNT);
  const plain = constantModel(p).probabilities(features);
  const soft = constantModel(p, 2).probabilities(features);
  const sharp = constantModel(p, 0.5).probabilities(features);
  for (const q of [plain, soft, sharp]) assert.ok(Math.abs(q.reduce((a, v) => a + v, 0) - 1) < 1e-9);
  assert.ok(Math.abs(plain[1]! - 0.45) < 1e-9);
  assert.ok(soft[1]! < plain[1]! && sharp[1]! > plain[1]!);
  assert.equal(soft.indexOf(Math.max(...soft)), 1);
  assert.equal(sharp.indexOf(Math.max(...sharp)), 1);
});

test('a model trained on another feature version is refused', () => {
  const file = constantModel([0.25, 0.25, 0.25, 0.25]).file;
  assert.throws(() => new MusicModel({ ...file, featureVersion: FEATURE_VERSION - 1 }), /feature version/);
});
