/**
 * Integrated loudness of a mono signal (ITU-R BS.1770-4 / EBU R128): K-weighting, 400-ms
 * blocks with 75 % overlap, an absolute gate at −70 LUFS and a relative gate 10 LU below
 * the ungated mean. The K-weighting biquads are derived for the signal's own rate from
 * their analogue prototypes (shelf +4 dB at 1.5 kHz, high-pass at 38 Hz), as pyloudnorm
 * does, so 22.05 kHz works as well as 48 kHz.
 *
 * Why: commercial pop (the 4Q training clips) is mastered around −8 to −12 LUFS, game and
 * orchestral music often 10 dB quieter. Features computed on unnormalised audio let a model
 * read level as arousal; normalising every window to the same loudness removes that cue.
 */

type Biquad = [b0: number, b1: number, b2: number, a1: number, a2: number];

function shelf(sr: number): Biquad {
  const A = 10 ** (4 / 40);
  const w0 = (2 * Math.PI * 1500) / sr;
  const alpha = Math.sin(w0) / (2 * Math.SQRT1_2);
  const c = Math.cos(w0);
  const a0 = A + 1 - (A - 1) * c + 2 * Math.sqrt(A) * alpha;
  return [
    (A * (A + 1 + (A - 1) * c + 2 * Math.sqrt(A) * alpha)) / a0,
    (-2 * A * (A - 1 + (A + 1) * c)) / a0,
    (A * (A + 1 + (A - 1) * c - 2 * Math.sqrt(A) * alpha)) / a0,
    (2 * (A - 1 - (A + 1) * c)) / a0,
    (A + 1 - (A - 1) * c - 2 * Math.sqrt(A) * alpha) / a0,
  ];
}

function highPass(sr: number): Biquad {
  const w0 = (2 * Math.PI * 38) / sr;
  const alpha = Math.sin(w0) / (2 * 0.5);
  const c = Math.cos(w0);
  const a0 = 1 + alpha;
  return [(1 + c) / 2 / a0, -(1 + c) / a0, (1 + c) / 2 / a0, (-2 * c) / a0, (1 - alpha) / a0];
}

function filter(x: Float32Array | Float64Array, [b0, b1, b2, a1, a2]: Biquad): Float64Array {
  const y = new Float64Array(x.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  // Plain assignments: this loop runs 660,000 times per window, and a destructuring swap allocates.
  for (let n = 0; n < x.length; n++) {
    const v = x[n]!;
    const out = b0 * v + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    y[n] = out;
    x2 = x1;
    x1 = v;
    y2 = y1;
    y1 = out;
  }
  return y;
}

/** Integrated loudness in LUFS; −Infinity for silence or input shorter than one 400-ms block. */
export function integratedLoudness(x: Float32Array, sampleRate: number): number {
  const k = filter(filter(x, shelf(sampleRate)), highPass(sampleRate));
  const block = Math.round(0.4 * sampleRate);
  const step = Math.round(0.1 * sampleRate);
  if (k.length < block) return -Infinity;
  // Running sum of squares so that each block costs O(1).
  const cum = new Float64Array(k.length + 1);
  for (let i = 0; i < k.length; i++) cum[i + 1] = cum[i]! + k[i]! * k[i]!;
  const z: number[] = [];
  for (let s = 0; s + block <= k.length; s += step) z.push((cum[s + block]! - cum[s]!) / block);
  const lufs = (ms: number) => -0.691 + 10 * Math.log10(ms);
  const gated = (threshold: number) => z.filter((v) => v > 0 && lufs(v) > threshold);
  const abs = gated(-70);
  if (!abs.length) return -Infinity;
  const relative = lufs(abs.reduce((a, v) => a + v, 0) / abs.length) - 10;
  const kept = gated(Math.max(-70, relative));
  return lufs(kept.reduce((a, v) => a + v, 0) / kept.length);
}

/** Loudness every analysis window is brought to before features are computed. */
export const TARGET_LUFS = -20;
/** Bounds on the gain, so near-silence is not blown up into noise features. */
const MAX_GAIN_DB = 40;

/** The window scaled to TARGET_LUFS (a copy); silent input comes back unchanged. */
export function normaliseLoudness(x: Float32Array, sampleRate: number): Float32Array {
  const l = integratedLoudness(x, sampleRate);
  if (!Number.isFinite(l)) return x;
  const gainDb = Math.max(-MAX_GAIN_DB, Math.min(MAX_GAIN_DB, TARGET_LUFS - l));
  const g = 10 ** (gainDb / 20);
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i]! * g;
  return y;
}
