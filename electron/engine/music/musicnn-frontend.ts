/**
 * The input musicnn was trained on (models/music/musicnn/, converted by
 * training/music/musicnn/convert-musicnn.py), computed as the package's own extractor computes it
 * with librosa: 16 kHz mono; STFT of 512-sample periodic-Hann frames every 256 samples, centred
 * (256 zeros of padding at each end, librosa 0.10's default); power spectrum; 96 Slaney-scale mel
 * filters with Slaney area normalisation over 0–8 kHz; each value rounded to float16, as the
 * package does, then log10(1 + 10000·x). Layout: frames × 96, frame-major, which is the graph's
 * [n, frames, 96] input once cut into patches of PATCH_FRAMES.
 *
 * Parity with librosa is tested on reference values the converter writes
 * (electron/engine/music/musicnn.test.ts).
 */
import { PairedPowerFft, periodicHann } from './fft.ts';
import { resample } from './decode-window.ts';

export const MUSICNN_RATE = 16_000;
export const MUSICNN_FFT = 512;
export const MUSICNN_HOP = 256;
export const MUSICNN_BANDS = 96;
/** 3 s, the patch length the networks were trained on (librosa.time_to_frames(3) + 1). */
export const PATCH_FRAMES = 187;
/** Seconds one patch covers. */
export const PATCH_SECONDS = (PATCH_FRAMES * MUSICNN_HOP) / MUSICNN_RATE;

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;
const hzToMel = (f: number) => (f < MIN_LOG_HZ ? f / F_SP : MIN_LOG_MEL + Math.log(f / MIN_LOG_HZ) / LOGSTEP);
const melToHz = (m: number) => (m < MIN_LOG_MEL ? F_SP * m : MIN_LOG_HZ * Math.exp(LOGSTEP * (m - MIN_LOG_MEL)));

interface MelFilter {
  start: number;
  w: Float64Array;
}

/** librosa.filters.mel(sr=16000, n_fft=512, n_mels=96) (htk=False, norm='slaney'), stored sparsely. */
function slaneyFilters(): MelFilter[] {
  const bins = MUSICNN_FFT / 2 + 1;
  const fMax = MUSICNN_RATE / 2;
  const melMax = hzToMel(fMax);
  const hz = Array.from({ length: MUSICNN_BANDS + 2 }, (_, i) => melToHz((melMax * i) / (MUSICNN_BANDS + 1)));
  return Array.from({ length: MUSICNN_BANDS }, (_, m) => {
    const enorm = 2 / (hz[m + 2]! - hz[m]!);
    const w = new Float64Array(bins);
    for (let k = 0; k < bins; k++) {
      const f = (k * MUSICNN_RATE) / MUSICNN_FFT;
      const lower = (f - hz[m]!) / (hz[m + 1]! - hz[m]!);
      const upper = (hz[m + 2]! - f) / (hz[m + 2]! - hz[m + 1]!);
      w[k] = Math.max(0, Math.min(lower, upper)) * enorm;
    }
    let start = 0;
    while (start < bins - 1 && w[start] === 0) start++;
    let end = bins;
    while (end > start + 1 && w[end - 1] === 0) end--;
    return { start, w: w.slice(start, end) };
  });
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const HALF_MAX = 65504;
const HALF_MIN_NORMAL = 2 ** -14;

/**
 * The float32 value nearest to numpy's float16 rounding of x ≥ 0 (round half to even).
 * Above float16's largest value numpy gives infinity; this clamps there instead, so that an
 * absurdly loud file cannot feed the network an infinity (never reached by audio in [-1, 1]).
 */
export function roundToHalf(x: number): number {
  if (!(x > 0)) return 0;
  if (x >= HALF_MAX) return HALF_MAX;
  if (x < HALF_MIN_NORMAL) {
    const q = x * 2 ** 24;
    const r = Math.round(q);
    return (r - q === 0.5 && r % 2 === 1 ? r - 1 : r) / 2 ** 24;
  }
  f32[0] = x;
  let bits = u32[0]!;
  const rest = bits & 0x1fff;
  bits &= ~0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (bits & 0x2000) !== 0)) bits += 0x2000;
  u32[0] = bits >>> 0;
  return f32[0];
}

let tables: { hann: Float64Array; fft: PairedPowerFft; filters: MelFilter[] } | null = null;

export interface MusicnnMel {
  /** frames × MUSICNN_BANDS, frame-major */
  data: Float32Array;
  frames: number;
}

/** The log-mel frames of mono samples at any rate (resampled to 16 kHz first). */
export function musicnnMel(input: Float32Array, sampleRate: number): MusicnnMel {
  const x = sampleRate === MUSICNN_RATE ? input : resample(input, sampleRate, MUSICNN_RATE);
  tables ??= { hann: periodicHann(MUSICNN_FFT), fft: new PairedPowerFft(MUSICNN_FFT), filters: slaneyFilters() };
  const { hann, fft, filters } = tables;
  const pad = MUSICNN_FFT / 2;
  const frames = 1 + Math.floor(x.length / MUSICNN_HOP);
  const data = new Float32Array(frames * MUSICNN_BANDS);
  const powA = new Float64Array(fft.bins);
  const powB = new Float64Array(fft.bins);
  const sample = (i: number) => (i >= 0 && i < x.length ? x[i]! : 0);
  const toMel = (power: Float64Array, t: number) => {
    for (let m = 0; m < MUSICNN_BANDS; m++) {
      const { start, w } = filters[m]!;
      let s = 0;
      for (let k = 0; k < w.length; k++) s += w[k]! * power[start + k]!;
      data[t * MUSICNN_BANDS + m] = Math.log10(1 + 10_000 * roundToHalf(Math.fround(s)));
    }
  };
  for (let t = 0; t < frames; t += 2) {
    const a = t * MUSICNN_HOP - pad;
    const hasB = t + 1 < frames;
    for (let i = 0; i < MUSICNN_FFT; i++) {
      fft.re[i] = sample(a + i) * hann[i]!;
      fft.im[i] = hasB ? sample(a + MUSICNN_HOP + i) * hann[i]! : 0;
    }
    fft.power(powA, powB);
    toMel(powA, t);
    if (hasB) toMel(powB, t + 1);
  }
  return { data, frames };
}

/**
 * Patches of PATCH_FRAMES frames starting at the given frames, as one [n, PATCH_FRAMES, 96]
 * batch; frames past the end are silence (log10(1 + 0) = 0).
 */
export function melPatches(mel: MusicnnMel, starts: readonly number[]): Float32Array {
  const size = PATCH_FRAMES * MUSICNN_BANDS;
  const out = new Float32Array(starts.length * size);
  starts.forEach((s, p) => {
    const from = s * MUSICNN_BANDS;
    const to = Math.min(mel.data.length, from + size);
    if (to > from) out.set(mel.data.subarray(from, to), p * size);
  });
  return out;
}

/** Non-overlapping patch starts over `frames` (the package's extractor with input_overlap=False); at least one. */
export function tilingStarts(frames: number): number[] {
  const starts: number[] = [];
  for (let s = 0; s + PATCH_FRAMES <= frames; s += PATCH_FRAMES) starts.push(s);
  return starts.length ? starts : [0];
}
