/**
 * Log-mel spectrogram of a song window, the input of the song CNN (models/music/cnn.onnx).
 * Pure (no I/O); training/music/dump-music-mels.ts writes the training data with this same code,
 * so the network sees at inference exactly the numbers it was trained on.
 *
 * The window is first brought to TARGET_LUFS (loudness.ts, as features.ts does), so the
 * spectrogram does not carry the mastering level. Then: Hann-windowed 1024-sample frames
 * (46 ms) every 512 samples at 22 050 Hz, power spectrum, MEL_BANDS triangular mel filters
 * (HTK mel scale, 30 Hz – 11 kHz, unit area), natural log of (power + LOG_FLOOR).
 * Layout: Float32Array of frames × MEL_BANDS, frame-major.
 *
 * Patches: the CNN reads PATCH_FRAMES frames (≈ 3 s); a song is summarised by patches
 * every PATCH_HOP frames over the window (patchStarts), whose predictions are averaged.
 */
import { TARGET_RATE, resample } from './decode-window.ts';
import { normaliseLoudness } from './loudness.ts';

/** Bumped when the same call starts to return different numbers (the CNN must be retrained). */
export const LOG_MEL_VERSION = 1;
export const MEL_FFT = 1024;
export const MEL_HOP = 512;
export const MEL_BANDS = 64;
const F_MIN = 30;
const F_MAX = 11_000;
const LOG_FLOOR = 1e-6;
/** ≈ 2.97 s at 22 050 Hz / 512. */
export const PATCH_FRAMES = 128;
/** Hop between the patches a song is read with: they tile the window (10 patches for 30 s), which keeps the CNN within the indexing budget. */
export const PATCH_HOP = 128;

const hz2mel = (f: number) => 2595 * Math.log10(1 + f / 700);
const mel2hz = (m: number) => 700 * (10 ** (m / 2595) - 1);

/** A triangular filter stored sparsely: its weights for bins start, start+1, …. */
interface MelFilter {
  start: number;
  w: Float64Array;
}

/** MEL_BANDS triangular filters over the MEL_FFT/2+1 bins, each normalised to unit sum. */
function melFilters(): MelFilter[] {
  const nBins = MEL_FFT / 2 + 1;
  const edges = Array.from({ length: MEL_BANDS + 2 }, (_, i) => mel2hz(hz2mel(F_MIN) + ((hz2mel(F_MAX) - hz2mel(F_MIN)) * i) / (MEL_BANDS + 1)));
  const binHz = TARGET_RATE / MEL_FFT;
  return Array.from({ length: MEL_BANDS }, (_, m) => {
    const [lo, mid, hi] = [edges[m]!, edges[m + 1]!, edges[m + 2]!];
    const w = new Float32Array(nBins);
    let sum = 0;
    for (let k = 0; k < nBins; k++) {
      const f = k * binHz;
      const v = f <= lo || f >= hi ? 0 : f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid);
      w[k] = v;
      sum += v;
    }
    // Low bands narrower than a bin would otherwise be empty: give them their nearest bin.
    if (sum === 0) w[Math.min(nBins - 1, Math.round(mid / binHz))] = 1;
    else for (let k = 0; k < nBins; k++) w[k]! /= sum;
    let start = 0;
    while (w[start] === 0) start++;
    let end = nBins;
    while (w[end - 1] === 0) end--;
    return { start, w: Float64Array.from(w.subarray(start, end)) };
  });
}

let filters: MelFilter[] | null = null;
let hann: Float64Array | null = null;
let bitrev: Uint32Array | null = null;
let twiddle: { cos: Float64Array; sin: Float64Array } | null = null;

function tables() {
  if (!hann) {
    hann = Float64Array.from({ length: MEL_FFT }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / MEL_FFT));
    const bits = Math.log2(MEL_FFT);
    bitrev = Uint32Array.from({ length: MEL_FFT }, (_, i) => {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      return r;
    });
    twiddle = {
      cos: Float64Array.from({ length: MEL_FFT / 2 }, (_, i) => Math.cos((-2 * Math.PI * i) / MEL_FFT)),
      sin: Float64Array.from({ length: MEL_FFT / 2 }, (_, i) => Math.sin((-2 * Math.PI * i) / MEL_FFT)),
    };
    filters = melFilters();
  }
  return { hann, bitrev: bitrev!, twiddle: twiddle!, filters: filters! };
}

/** In-place iterative radix-2 FFT of length MEL_FFT. */
function fft(re: Float64Array, im: Float64Array, bitrev: Uint32Array, tw: { cos: Float64Array; sin: Float64Array }): void {
  const n = re.length;
  for (let i = 0; i < n; i++) {
    const j = bitrev[i]!;
    if (j > i) {
      const r = re[i]!;
      re[i] = re[j]!;
      re[j] = r;
      const m = im[i]!;
      im[i] = im[j]!;
      im[j] = m;
    }
  }
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const c = tw.cos[k * step]!;
        const s = tw.sin[k * step]!;
        const a = start + k;
        const b = a + half;
        const tr = re[b]! * c - im[b]! * s;
        const ti = re[b]! * s + im[b]! * c;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a]! += tr;
        im[a]! += ti;
      }
    }
  }
}

export interface LogMel {
  /** frames × MEL_BANDS, frame-major */
  data: Float32Array;
  frames: number;
}

/**
 * Log-mel spectrogram of mono samples (any rate; resampled to TARGET_RATE). `normalised`: the
 * input is already at TARGET_RATE and loudness-normalised (song-emotion.ts does it once for both models).
 */
export function logMel(input: Float32Array, sampleRate: number, options: { normalised?: boolean } = {}): LogMel {
  if (options.normalised && sampleRate !== TARGET_RATE) throw new Error(`normalised input must be at ${TARGET_RATE} Hz`);
  const x = options.normalised ? input : normaliseLoudness(sampleRate === TARGET_RATE ? input : resample(input, sampleRate, TARGET_RATE), TARGET_RATE);
  const { hann, bitrev, twiddle, filters } = tables();
  const frames = x.length >= MEL_FFT ? 1 + Math.floor((x.length - MEL_FFT) / MEL_HOP) : 0;
  const data = new Float32Array(frames * MEL_BANDS);
  const re = new Float64Array(MEL_FFT);
  const im = new Float64Array(MEL_FFT);
  const powA = new Float64Array(MEL_FFT / 2 + 1);
  const powB = new Float64Array(MEL_FFT / 2 + 1);
  const toMel = (power: Float64Array, t: number) => {
    for (let m = 0; m < MEL_BANDS; m++) {
      const { start, w } = filters[m]!;
      let s = 0;
      for (let k = 0; k < w.length; k++) s += w[k]! * power[start + k]!;
      data[t * MEL_BANDS + m] = Math.log(s + LOG_FLOOR);
    }
  };
  // Two real frames per complex FFT (frame t in the real part, t+1 in the imaginary part),
  // separated afterwards by conjugate symmetry: half the transforms.
  for (let t = 0; t < frames; t += 2) {
    const a = t * MEL_HOP;
    const hasB = t + 1 < frames;
    const b = a + MEL_HOP;
    for (let i = 0; i < MEL_FFT; i++) {
      re[i] = x[a + i]! * hann[i]!;
      im[i] = hasB ? x[b + i]! * hann[i]! : 0;
    }
    fft(re, im, bitrev, twiddle);
    for (let k = 0; k <= MEL_FFT / 2; k++) {
      const n = (MEL_FFT - k) % MEL_FFT;
      const zr = re[k]!;
      const zi = im[k]!;
      const cr = re[n]!;
      const ci = -im[n]!;
      const ar = (zr + cr) / 2;
      const ai = (zi + ci) / 2;
      const br = (zi - ci) / 2;
      const bi = (cr - zr) / 2;
      powA[k] = ar * ar + ai * ai;
      powB[k] = br * br + bi * bi;
    }
    toMel(powA, t);
    if (hasB) toMel(powB, t + 1);
  }
  return { data, frames };
}

/**
 * First frames of the patches a song is read with: every PATCH_HOP frames, the last one
 * flush with the end; a window shorter than a patch gives one start at 0 (padded by the caller).
 */
export function patchStarts(frames: number): number[] {
  if (frames <= PATCH_FRAMES) return [0];
  const last = frames - PATCH_FRAMES;
  const starts: number[] = [];
  for (let s = 0; s <= last; s += PATCH_HOP) starts.push(s);
  if (starts.at(-1) !== last) starts.push(last);
  return starts;
}

/**
 * The patches as one batch, [n, 1, MEL_BANDS, PATCH_FRAMES] (band-major inside a patch, the
 * layout the CNN takes). Frames past the end are filled with the log floor (silence).
 */
export function patchBatch(mel: LogMel, starts = patchStarts(mel.frames)): Float32Array {
  const out = new Float32Array(starts.length * MEL_BANDS * PATCH_FRAMES).fill(Math.log(LOG_FLOOR));
  starts.forEach((s, p) => {
    const base = p * MEL_BANDS * PATCH_FRAMES;
    for (let t = 0; t < PATCH_FRAMES && s + t < mel.frames; t++) {
      for (let m = 0; m < MEL_BANDS; m++) out[base + m * PATCH_FRAMES + t] = mel.data[(s + t) * MEL_BANDS + m]!;
    }
  });
  return out;
}
