import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MUSIC_QUADRANTS } from '../../../shared/emotion.ts';
import { chooseWindow, decodeWindow, resample, TARGET_RATE, WINDOW_SECONDS } from './decode-window.ts';
import { BASE_FEATURE_COUNT, BASE_FEATURE_NAMES, extractFeatures, FEATURE_COUNT, FEATURE_NAMES, N_SEGMENTS, N_VIEWS } from './features.ts';
import { rng } from '../ml/rng.ts';
import { MusicModel } from './model.ts';
import { songEmotion } from './song-emotion.ts';
import { PATCH_SECONDS } from './musicnn-frontend.ts';
import { integratedLoudness, TARGET_LUFS } from './loudness.ts';

const MUSIC = path.resolve(import.meta.dirname, '../../../../shared/data/music');
const LIBRARY = path.join(MUSIC, 'library');
const FOURQ = path.join(MUSIC, '4q-panda2018');
const noData = !existsSync(LIBRARY) || !existsSync(FOURQ) ? 'shared music data not present' : false;

test('window policy: whole clip up to the window length, else the middle', () => {
  assert.deepEqual(chooseWindow(12), { start: 0, length: 12 });
  assert.deepEqual(chooseWindow(30), { start: 0, length: 30 });
  assert.deepEqual(chooseWindow(90), { start: 30, length: WINDOW_SECONDS });
});

test('resampling keeps a tone at its frequency and level', () => {
  const from = 48000;
  const x = Float32Array.from({ length: from }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / from));
  const y = resample(x, from, TARGET_RATE);
  assert.equal(y.length, TARGET_RATE);
  // Compare against the ideal tone away from the edges.
  let err = 0;
  let ref = 0;
  for (let n = 1000; n < y.length - 1000; n++) {
    const ideal = 0.5 * Math.sin((2 * Math.PI * 1000 * n) / TARGET_RATE);
    err += (y[n]! - ideal) ** 2;
    ref += ideal ** 2;
  }
  assert.ok(10 * Math.log10(ref / err) > 40, 'resampled tone is within 40 dB SNR');
});

test('features are finite and of the declared length on a real track', { skip: noData }, async () => {
  const w = await decodeWindow(path.join(LIBRARY, 'npm-audio-lena/lena.flac'));
  assert.equal(w.sampleRate, TARGET_RATE);
  const f = extractFeatures(w.samples, w.sampleRate);
  assert.equal(f.length, FEATURE_COUNT);
  assert.equal(FEATURE_NAMES.length, FEATURE_COUNT);
  assert.equal(new Set(FEATURE_NAMES).size, FEATURE_COUNT, 'feature names are unique');
  assert.ok(f.every(Number.isFinite));
  assert.ok(f.some((v) => v !== 0));
});

test('segment views re-aggregate the frames of their own stretch of the window', () => {
  // 30 s: 10 s of silence, then a 440 Hz tone. Segment 0 covers 0–10 s, the last one 20–30 s.
  const sr = TARGET_RATE;
  const x = Float32Array.from({ length: 30 * sr }, (_, i) => (i < 10 * sr ? 0 : 0.3 * Math.sin((2 * Math.PI * 440 * i) / sr)));
  const f = extractFeatures(x, sr);
  assert.equal(N_VIEWS, 1 + N_SEGMENTS);
  assert.equal(FEATURE_COUNT, N_VIEWS * BASE_FEATURE_COUNT);
  const rmsP50 = BASE_FEATURE_NAMES.indexOf('rms_db_p50');
  const view = (v: number) => f[v * BASE_FEATURE_COUNT + rmsP50]!;
  assert.ok(view(1) < -150, `segment 0 is silent (${view(1)} dB)`);
  // Meyda measures RMS after the Hann window (mean square × 3/8); the window is first brought to TARGET_LUFS.
  const gainDb = TARGET_LUFS - integratedLoudness(x, sr);
  const toneDb = 20 * Math.log10(0.3 / Math.SQRT2) + 10 * Math.log10(3 / 8) + gainDb;
  assert.ok(Math.abs(view(N_VIEWS - 1) - toneDb) < 1, `last segment holds the tone (${view(N_VIEWS - 1)} dB)`);
  assert.ok(view(0) > view(1) && view(0) < view(N_VIEWS - 1) + 1e-6);
  assert.equal(FEATURE_NAMES[BASE_FEATURE_COUNT + rmsP50], 'seg0.rms_db_p50');
});

test('silence and very short input give a finite vector', () => {
  assert.ok(extractFeatures(new Float32Array(TARGET_RATE * 3), TARGET_RATE).every(Number.isFinite));
  assert.ok(extractFeatures(new Float32Array(100), TARGET_RATE).every(Number.isFinite));
});

test('a 7-minute MP3 decodes only a bounded window', { skip: noData }, async () => {
  const file = path.join(LIBRARY, 'asc-music/frontiers.mp3');
  const w = await decodeWindow(file);
  assert.equal(w.route, 'partial');
  assert.ok(w.trackSeconds > 400);
  assert.ok(w.samples.length <= WINDOW_SECONDS * TARGET_RATE);
  assert.ok(w.samples.length >= (WINDOW_SECONDS - 1) * TARGET_RATE);
  // The window sits in the middle and only ~a tenth of the file is fed to the decoder.
  assert.ok(Math.abs(w.startSeconds - (w.trackSeconds - WINDOW_SECONDS) / 2) < 1);
  assert.ok(w.bytesDecoded < statSync(file).size / 5, `${w.bytesDecoded} bytes decoded`);
});

test('a long Ogg Opus track also takes the partial route', { skip: noData }, async () => {
  const file = path.join(LIBRARY, 'warzone2100-music/menu.opus');
  const w = await decodeWindow(file);
  assert.equal(w.route, 'partial');
  assert.ok(w.samples.length <= WINDOW_SECONDS * TARGET_RATE);
  assert.ok(w.bytesDecoded < statSync(file).size / 3);
});

test('the committed model reads real tracks: a distribution, a point that agrees with it, a timeline in the song', { skip: noData }, async () => {
  const model = MusicModel.load();
  for (const file of [path.join(FOURQ, 'audio/Q3/MT0000004637.ogg'), path.join(FOURQ, 'audio/Q2/MT0000011357.ogg'), path.join(LIBRARY, 'asc-music/frontiers.mp3')]) {
    const w = await decodeWindow(file, { windowSeconds: model.file.window.seconds, targetRate: model.file.window.sampleRate });
    const r = await songEmotion(w.samples, w.sampleRate, model, w.startSeconds);
    const total = MUSIC_QUADRANTS.reduce((a, q) => a + r.probs[q], 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `probabilities sum to ${total}`);
    assert.ok(MUSIC_QUADRANTS.includes(r.quadrant));
    assert.ok(Math.abs(r.valence) <= 1 && Math.abs(r.arousal) <= 1);
    assert.equal(r.valence > 0, r.quadrant === 'Q1' || r.quadrant === 'Q4', 'the point lies in the quadrant shown');
    if (!model.musicnnNets.length) continue;
    const points = r.timeline!.points;
    // One point per 3-s patch of the window, starting where the window starts in the track.
    assert.equal(points.length, Math.floor(w.samples.length / w.sampleRate / PATCH_SECONDS + 1e-6) || 1);
    assert.ok(Math.abs(points[0]!.start - w.startSeconds) < 0.01);
    points.forEach((p, i) => {
      assert.ok(Math.abs(p.valence) <= 1 && Math.abs(p.arousal) <= 1);
      if (i) assert.ok(Math.abs(p.start - points[i - 1]!.start - PATCH_SECONDS) < 0.02, 'patches follow one another');
    });
    assert.ok(points.at(-1)!.start + PATCH_SECONDS <= w.startSeconds + w.samples.length / w.sampleRate + 0.05, 'no patch past the window');
  }
});

test('BS.1770 loudness: a full-scale 997 Hz sine reads −3.01 LUFS at 22.05 kHz', () => {
  const sr = TARGET_RATE;
  const x = Float32Array.from({ length: 5 * sr }, (_, i) => Math.sin((2 * Math.PI * 997 * i) / sr));
  assert.ok(Math.abs(integratedLoudness(x, sr) + 3.01) < 0.15, `${integratedLoudness(x, sr)} LUFS`);
  assert.equal(integratedLoudness(new Float32Array(5 * sr), sr), -Infinity);
});

test('features do not depend on the playback level (loudness-normalised window)', () => {
  const sr = TARGET_RATE;
  const rand = rng(5);
  // Chords with noise bursts on the beat: spectral, tonal and rhythmic features all non-trivial.
  const x = Float32Array.from({ length: 12 * sr }, (_, i) => {
    const t = i / sr;
    // A −60 dB noise floor as any recording has; without it some bands hold only float rounding noise.
    const burst = ((t * 2) % 1 < 0.05 ? rand() - 0.5 : 0) + 0.002 * (rand() - 0.5);
    return 0.2 * Math.sin(2 * Math.PI * 220 * t) + 0.15 * Math.sin(2 * Math.PI * 277.2 * t) + 0.1 * Math.sin(2 * Math.PI * 329.6 * t) + burst;
  });
  const loud = extractFeatures(x, sr);
  const quiet = extractFeatures(Float32Array.from(x, (v) => v * 0.05), sr);
  const worst = FEATURE_NAMES.map((n, i) => ({ n, d: Math.abs(loud[i]! - quiet[i]!) / (1 + Math.abs(loud[i]!)) })).sort((a, b) => b.d - a.d)[0]!;
  assert.ok(worst.d < 1e-3, `${worst.n} changes with level (${worst.d})`);
});

