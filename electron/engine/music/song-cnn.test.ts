import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MEL_BANDS, PATCH_FRAMES } from './log-mel.ts';
import { defaultMusicModel } from './model.ts';
import { CNN_JSON_PATH, ensembleProbs, SongCnn } from './song-cnn.ts';
import { songEmotion } from './song-emotion.ts';
import { TARGET_RATE } from './decode-window.ts';
import { rng } from '../ml/rng.ts';

/** An untrained 2-channel network of the same architecture (training/music/train-music-cnn.py SongCnn, width 2), exported the same way. */
const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'cnn-tiny.json');
const noCnn = existsSync(CNN_JSON_PATH) ? false : 'no shipped song CNN (models/music/cnn.json not committed); the fixture tests the path';

test('the ensemble: weight 0 and T 1 is the handcrafted model; the mix stays a distribution', () => {
  const hand = [0.1, 0.2, 0.3, 0.4];
  const cnn = [0.7, 0.1, 0.1, 0.1];
  ensembleProbs(hand, cnn, 0, 1).forEach((p, k) => assert.ok(Math.abs(p - hand[k]!) < 1e-12));
  const mixed = ensembleProbs(hand, cnn, 0.5, 1);
  assert.ok(Math.abs(mixed[0]! - 0.4) < 1e-12);
  const sharp = ensembleProbs(hand, cnn, 0.5, 0.5);
  assert.ok(Math.abs(sharp.reduce((s, v) => s + v, 0) - 1) < 1e-12);
  assert.ok(sharp[0]! > mixed[0]!, 'a temperature below 1 sharpens the most probable class');
});

async function parity(jsonPath: string, tolerance: number): Promise<void> {
  const cnn = await SongCnn.load(jsonPath);
  const n = 2 * MEL_BANDS * PATCH_FRAMES;
  const x = Float32Array.from({ length: n }, (_, i) => -6 + 3 * Math.sin(0.37 * i));
  const logits = await cnn.logits(x, 2);
  const ref = cnn.file.reference.logits.flat();
  assert.equal(logits.length, ref.length);
  ref.forEach((v, i) => assert.ok(Math.abs(logits[i]! - v) < tolerance, `logit ${i}: onnx ${logits[i]}, torch ${v}`));
  await cnn.release();
}

test('ONNX Runtime reproduces torch on the reference input (fixture network)', () => parity(FIXTURE, 1e-5));

test('the shipped ONNX graph reproduces torch on the reference input', { skip: noCnn }, () => parity(CNN_JSON_PATH, 1e-4));

test('cnn.json is refused when its log-mel settings are not the ones log-mel.ts computes', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-cnn-'));
  try {
    const bad = { ...JSON.parse(fs.readFileSync(FIXTURE, 'utf8')), patchHop: 64 };
    fs.writeFileSync(path.join(dir, 'cnn.json'), JSON.stringify(bad));
    await assert.rejects(SongCnn.load(path.join(dir, 'cnn.json')), /other log-mel settings/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a song with the CNN: probabilities, and a point on its quadrant’s side', async () => {
  const cnn = await SongCnn.load(existsSync(CNN_JSON_PATH) ? CNN_JSON_PATH : FIXTURE);
  const r = rng(5);
  const x = Float32Array.from({ length: 12 * TARGET_RATE }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / TARGET_RATE) * (1 + 0.5 * Math.sin(i / 3000)) + 0.05 * (r() - 0.5));
  const p = await cnn.probabilities(x, TARGET_RATE);
  assert.equal(p.length, 4);
  assert.ok(Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-5 && p.every((v) => v > 0));
  const withCnn = await songEmotion(x, TARGET_RATE, defaultMusicModel(), cnn);
  const alone = await songEmotion(x, TARGET_RATE, defaultMusicModel(), null);
  assert.equal(withCnn.cnn, true);
  assert.equal(alone.cnn, false);
  assert.deepEqual(alone.probs, defaultMusicModel().predict(await import('./features.ts').then((f) => f.extractFeatures(x, TARGET_RATE))).probs);
  for (const e of [withCnn, alone]) {
    const high = e.quadrant === 'Q1' || e.quadrant === 'Q2';
    const positive = e.quadrant === 'Q1' || e.quadrant === 'Q4';
    assert.equal(e.arousal > 0, high, `${e.quadrant} with arousal ${e.arousal}`);
    assert.equal(e.valence > 0, positive, `${e.quadrant} with valence ${e.valence}`);
  }
  await cnn.release();
});
