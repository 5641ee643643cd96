import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TARGET_RATE } from './decode-window.ts';
import { logMel, MEL_BANDS, MEL_HOP, PATCH_FRAMES, PATCH_HOP, patchBatch, patchStarts } from './log-mel.ts';
import { rng } from '../ml/rng.ts';

const tone = (hz: number, seconds: number, amp = 0.3) =>
  Float32Array.from({ length: Math.round(seconds * TARGET_RATE) }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / TARGET_RATE));

const frame = (m: { data: Float32Array }, t: number) => Array.from(m.data.subarray(t * MEL_BANDS, (t + 1) * MEL_BANDS));

test('a tone puts its energy in one mel band, higher tones in higher bands', () => {
  const peak = (hz: number) => {
    const f = frame(logMel(tone(hz, 2), TARGET_RATE), 10);
    return f.indexOf(Math.max(...f));
  };
  const [low, mid, high] = [peak(220), peak(1000), peak(5000)];
  assert.ok(low < mid && mid < high, `peaks ${low}, ${mid}, ${high}`);
  const f = frame(logMel(tone(1000, 2), TARGET_RATE), 10);
  const sorted = [...f].sort((a, b) => b - a);
  assert.ok(sorted[0]! - sorted[5]! > 5, 'the tone stands well above the bands away from it');
});

test('the spectrogram does not depend on the playback level (loudness-normalised first)', () => {
  const r = rng(3);
  const x = Float32Array.from({ length: 5 * TARGET_RATE }, (_, i) => 0.2 * Math.sin(i * 0.05) + 0.05 * (r() - 0.5));
  const quiet = x.map((v) => v * 0.05);
  const a = logMel(x, TARGET_RATE);
  const b = logMel(quiet, TARGET_RATE);
  assert.equal(a.frames, b.frames);
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!));
  assert.ok(worst < 1e-3, `largest difference ${worst}`);
});

test('frames computed in pairs (one complex FFT for two frames) match a frame computed alone', () => {
  // Frame 0 of a 3-frame signal is paired with frame 1; the same samples as a 1-frame signal are
  // transformed alone. Loudness normalisation may scale the two differently: that is a constant
  // offset in log power, so compare the shapes.
  const r = rng(11);
  const x = Float32Array.from({ length: 1024 + 2 * MEL_HOP }, () => r() - 0.5);
  const paired = frame(logMel(x, TARGET_RATE), 0);
  const alone = logMel(x.subarray(0, 1024), TARGET_RATE);
  assert.equal(alone.frames, 1);
  const d = paired.map((v, m) => v - frame(alone, 0)[m]!);
  const mean = d.reduce((s, v) => s + v, 0) / d.length;
  assert.ok(Math.max(...d.map((v) => Math.abs(v - mean))) < 1e-4, 'the paired frame has the same spectrum');
});

test('patches tile the window, and a short window is padded to one patch', () => {
  assert.deepEqual(patchStarts(50), [0]);
  const starts = patchStarts(1290);
  assert.equal(starts[0], 0);
  assert.equal(starts.at(-1), 1290 - PATCH_FRAMES);
  assert.ok(starts.every((s, i) => i === 0 || s - starts[i - 1]! <= PATCH_HOP));
  const mel = logMel(tone(440, 1), TARGET_RATE);
  const batch = patchBatch(mel);
  assert.equal(batch.length, MEL_BANDS * PATCH_FRAMES);
  // Band-major inside the patch: element (band m, frame t) at m·PATCH_FRAMES + t.
  assert.equal(batch[5 * PATCH_FRAMES + 3], mel.data[3 * MEL_BANDS + 5]);
  assert.equal(batch[5 * PATCH_FRAMES + PATCH_FRAMES - 1], Math.fround(Math.log(1e-6)), 'frames past the end are silence');
});
