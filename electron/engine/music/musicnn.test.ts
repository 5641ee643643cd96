import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MUSICNN_BANDS, PATCH_FRAMES, melPatches, musicnnMel, roundToHalf, tilingStarts } from './musicnn-frontend.ts';
import { Musicnn, MUSICNN_NETS, PENULTIMATE, TAGS } from './musicnn.ts';

/** Written by training/music/musicnn/convert-musicnn.py from librosa and the converted graphs. */
const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'musicnn-frontend.json');
interface Fixture {
  samples: number;
  frames: number;
  bands: number;
  logMel: number[][];
  outputs: Record<string, { taggram: number[]; penultimate: number[] }>;
}
const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;

/** convert-musicnn.py's frontend_signal(): two tones, a chirp and a click train, from integers. */
function frontendSignal(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => {
    const t = i / 16000;
    let x = 0.25 * Math.sin(2 * Math.PI * 220 * t) + 0.12 * Math.sin(2 * Math.PI * 3520 * t);
    x += 0.1 * Math.sin(2 * Math.PI * (200 * t + 900 * t * t));
    return x + (i % 4000 < 8 ? 0.5 : 0);
  });
}

test('float16 rounding: exact halves, ties to even, subnormals, the top of the range', () => {
  assert.equal(roundToHalf(1), 1);
  assert.equal(roundToHalf(1 + 2 ** -11), 1, 'a tie between 1 and 1 + 2^-10 goes to the even mantissa');
  assert.equal(roundToHalf(1 + 3 * 2 ** -11), 1 + 2 ** -9, 'the tie above an odd mantissa goes up');
  assert.equal(roundToHalf(1000.3), 1000.5);
  assert.equal(roundToHalf(3e-6), Math.round(3e-6 * 2 ** 24) / 2 ** 24);
  assert.equal(roundToHalf(1e9), 65504);
  assert.equal(roundToHalf(0), 0);
});

test('the log-mel front end equals librosa + the package’s float16 step on the reference signal', () => {
  const mel = musicnnMel(frontendSignal(fixture.samples), 16000);
  assert.equal(mel.frames, fixture.frames);
  assert.equal(fixture.bands, MUSICNN_BANDS);
  let worst = 0;
  fixture.logMel.forEach((row, t) => row.forEach((v, m) => (worst = Math.max(worst, Math.abs(mel.data[t * MUSICNN_BANDS + m]! - v)))));
  // float16 steps are 2^-11 relative: a float32/float64 difference at a rounding edge moves one value by that much (≈ 2e-4 after log10).
  assert.ok(worst < 5e-4, `largest difference ${worst}`);
});

test('patches tile the frames without overlap, and the tail past the end is silence', () => {
  assert.deepEqual(tilingStarts(PATCH_FRAMES * 3 + 10), [0, PATCH_FRAMES, 2 * PATCH_FRAMES]);
  assert.deepEqual(tilingStarts(5), [0]);
  const mel = { data: new Float32Array(10 * MUSICNN_BANDS).fill(2), frames: 10 };
  const batch = melPatches(mel, [0]);
  assert.equal(batch.length, PATCH_FRAMES * MUSICNN_BANDS);
  assert.equal(batch[10 * MUSICNN_BANDS - 1], 2);
  assert.equal(batch[10 * MUSICNN_BANDS], 0);
});

test('ONNX Runtime in Node reproduces the converted graphs on the reference patch', async () => {
  const nn = await Musicnn.load(MUSICNN_NETS);
  const patch = Float32Array.from(fixture.logMel.slice(0, PATCH_FRAMES).flat());
  for (const net of MUSICNN_NETS) {
    const r = await nn.read(net, patch, 1);
    const want = fixture.outputs[net]!;
    assert.equal(want.taggram.length, TAGS);
    assert.equal(want.penultimate.length, PENULTIMATE);
    want.taggram.forEach((v, i) => assert.ok(Math.abs(r.taggram[i]! - v) < 1e-4, `${net} tag ${i}: ${r.taggram[i]} vs ${v}`));
    want.penultimate.forEach((v, i) => assert.ok(Math.abs(r.penultimate[i]! - v) < 1e-4, `${net} penultimate ${i}: ${r.penultimate[i]} vs ${v}`));
  }
  await nn.release();
});

test('several patches in one call: each patch reads as it does alone, in its own row', async () => {
  const nn = await Musicnn.load(['mtt']);
  const ref = Float32Array.from(fixture.logMel.slice(0, PATCH_FRAMES).flat());
  const size = PATCH_FRAMES * MUSICNN_BANDS;
  // Three patches: silence, the reference, the reference at half level; the reference's row must sit second.
  const batch = new Float32Array(3 * size);
  batch.set(ref, size);
  batch.set(ref.map((v) => v / 2), 2 * size);
  const all = await nn.read('mtt', batch, 3);
  assert.equal(all.taggram.length, 3 * TAGS);
  assert.equal(all.penultimate.length, 3 * PENULTIMATE);
  for (let p = 0; p < 3; p++) {
    const alone = await nn.read('mtt', batch.slice(p * size, (p + 1) * size), 1);
    alone.taggram.forEach((v, i) => assert.ok(Math.abs(all.taggram[p * TAGS + i]! - v) < 1e-5, `patch ${p} tag ${i}`));
    alone.penultimate.forEach((v, i) => assert.ok(Math.abs(all.penultimate[p * PENULTIMATE + i]! - v) < 1e-5, `patch ${p} penultimate ${i}`));
  }
  const want = fixture.outputs.mtt!;
  want.taggram.forEach((v, i) => assert.ok(Math.abs(all.taggram[TAGS + i]! - v) < 1e-4, `reference row, tag ${i}`));
  assert.ok(all.taggram.slice(0, TAGS).some((v, i) => Math.abs(v - want.taggram[i]!) > 1e-3), 'silence reads differently from the reference');
  await assert.rejects(nn.read('mtt', batch, 4), /fewer than 4 patches/);
  await nn.release();
});
