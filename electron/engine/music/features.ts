/**
 * Clip-level audio features for the song-emotion model: mono samples → a fixed-length,
 * named Float32Array. Pure (no I/O); the same code runs in training and in the app.
 *
 * Frames: 2048 samples (93 ms) with a 1024 hop at 22 050 Hz, Hann window, through Meyda.
 * Frames quieter than -70 dBFS RMS are left out of the spectral statistics, because the
 * spectral shape of digital silence is noise. Feature groups (FEATURE_NAMES has the exact
 * order; the model card lists them):
 *
 *  - Low-level spectral/temporal descriptors, mean and std over frames: RMS, zero-crossing
 *    rate, spectral centroid, spread, flatness, roll-off, slope, crest, total loudness and
 *    perceptual sharpness (Meyda), and spectral flux (ours: Meyda's flux extractor indexes
 *    out of range, see its source).
 *  - Timbre: 13 MFCCs (Meyda), mean and std, plus mean |Δ| between frames.
 *  - Spectral contrast in 7 octave bands (Jiang et al. 2002): mean and std of peak − valley
 *    in log magnitude, and the mean valley. It separates harmonic from noisy textures.
 *  - Dynamics: RMS in dB at the 10th/50th/90th percentile, their range, and the share of
 *    frames below the mean RMS (low-energy ratio).
 *  - Tonality (valence cues): the mean chroma (Meyda) correlated with the Krumhansl–Kessler
 *    major and minor key profiles in all 12 rotations: best major and best minor
 *    correlation, their difference (mode), key clarity, chroma entropy, frame-to-frame
 *    chroma change (harmonic rhythm), and the mean chroma rotated so the estimated tonic is
 *    bin 0 (so it is key-independent).
 *  - Rhythm (arousal cues): tempo from the autocorrelation of an onset envelope (11.6 ms
 *    hops), pulse clarity (the autocorrelation peak), and onset rate (flux peaks per second).
 */
import MeydaModule from 'meyda';
import { TARGET_RATE, resample } from './decode-window.ts';

// Meyda ships CommonJS (`module.exports = Meyda`) with ESM-style typings, so under NodeNext
// the typed default import is the namespace while the runtime value is Meyda itself.
type MeydaApi = typeof MeydaModule.default;
const Meyda: MeydaApi = 'extract' in MeydaModule ? (MeydaModule as unknown as MeydaApi) : MeydaModule.default;

export const FRAME_SIZE = 2048;
export const HOP_SIZE = 1024;
const N_MFCC = 13;
const SILENT_RMS = 10 ** (-70 / 20);

const SCALARS = ['rms', 'zcr', 'centroid', 'spread', 'flatness', 'rolloff', 'slope', 'crest', 'loudness', 'sharpness', 'flux'] as const;
/** Octave band edges in Hz for spectral contrast. */
const CONTRAST_EDGES = [0, 200, 400, 800, 1600, 3200, 6400, 11025];
const N_BANDS = CONTRAST_EDGES.length - 1;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export const FEATURE_NAMES: readonly string[] = [
  ...SCALARS.flatMap((s) => [`${s}_mean`, `${s}_std`]),
  ...range(N_MFCC).flatMap((i) => [`mfcc${i}_mean`, `mfcc${i}_std`]),
  ...range(N_MFCC).map((i) => `mfcc${i}_dabs`),
  ...range(N_BANDS).flatMap((b) => [`contrast${b}_mean`, `contrast${b}_std`, `valley${b}_mean`]),
  'rms_db_p10',
  'rms_db_p50',
  'rms_db_p90',
  'rms_db_range',
  'low_energy_ratio',
  'key_major_corr',
  'key_minor_corr',
  'key_mode',
  'key_clarity',
  'chroma_entropy',
  'chroma_change',
  ...range(12).map((i) => `chroma_rel${i}`),
  'tempo_bpm',
  'pulse_clarity',
  'onset_rate',
];
export const FEATURE_COUNT = FEATURE_NAMES.length;

// Krumhansl & Kessler (1982) probe-tone profiles, tonic first.
const MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

type MeydaFrame = {
  rms: number;
  zcr: number;
  spectralCentroid: number;
  spectralSpread: number;
  spectralFlatness: number;
  spectralRolloff: number;
  spectralSlope: number;
  spectralCrest: number;
  loudness: { total: number };
  perceptualSharpness: number;
  mfcc: number[];
  chroma: number[];
  amplitudeSpectrum: Float32Array;
};

const MEYDA_FEATURES = [
  'rms',
  'zcr',
  'spectralCentroid',
  'spectralSpread',
  'spectralFlatness',
  'spectralRolloff',
  'spectralSlope',
  'spectralCrest',
  'loudness',
  'perceptualSharpness',
  'mfcc',
  'chroma',
  'amplitudeSpectrum',
] as const;

/** Feature vector of a mono clip; resamples to TARGET_RATE first if needed. */
export function extractFeatures(input: Float32Array, sampleRate: number): Float32Array {
  const x = sampleRate === TARGET_RATE ? input : resample(input, sampleRate, TARGET_RATE);
  const sr = TARGET_RATE;
  const out = new Float32Array(FEATURE_COUNT);
  const nFrames = x.length >= FRAME_SIZE ? 1 + Math.floor((x.length - FRAME_SIZE) / HOP_SIZE) : 0;
  if (nFrames < 4) return out;

  // Meyda keeps its configuration in a module-level object; set it on every call so that
  // another user of Meyda in the process cannot change our frame geometry.
  Meyda.bufferSize = FRAME_SIZE;
  Meyda.sampleRate = sr;
  Meyda.numberOfMFCCCoefficients = N_MFCC;
  Meyda.windowingFunction = 'hanning';

  const scalars = SCALARS.map(() => [] as number[]);
  const rmsAll: number[] = [];
  const mfccs: number[][] = [];
  const chromas: number[][] = [];
  const contrast: number[][] = range(N_BANDS).map(() => []);
  const valley: number[][] = range(N_BANDS).map(() => []);
  const fluxAll: number[] = [];
  const binHz = sr / FRAME_SIZE;
  const bandBins = range(N_BANDS).map((b) => [Math.max(1, Math.round(CONTRAST_EDGES[b]! / binHz)), Math.round(CONTRAST_EDGES[b + 1]! / binHz)] as const);
  let prevSpec: Float32Array | undefined;

  for (let f = 0; f < nFrames; f++) {
    const frame = x.subarray(f * HOP_SIZE, f * HOP_SIZE + FRAME_SIZE);
    const m = Meyda.extract(MEYDA_FEATURES as unknown as Parameters<MeydaApi['extract']>[0], frame) as unknown as MeydaFrame;
    rmsAll.push(m.rms);
    const spec = m.amplitudeSpectrum;
    // Flux between L2-normalised spectra, so it measures change of shape, not of level.
    let flux = 0;
    if (prevSpec) {
      let na = 0;
      let nb = 0;
      for (let i = 0; i < spec.length; i++) {
        na += spec[i]! * spec[i]!;
        nb += prevSpec[i]! * prevSpec[i]!;
      }
      const ia = na > 0 ? 1 / Math.sqrt(na) : 0;
      const ib = nb > 0 ? 1 / Math.sqrt(nb) : 0;
      for (let i = 0; i < spec.length; i++) {
        const d = spec[i]! * ia - prevSpec[i]! * ib;
        if (d > 0) flux += d * d;
      }
      flux = Math.sqrt(flux);
    }
    prevSpec = spec;
    fluxAll.push(flux);
    if (m.rms < SILENT_RMS) continue;

    const values = [
      m.rms,
      m.zcr,
      m.spectralCentroid * binHz,
      m.spectralSpread * binHz,
      m.spectralFlatness,
      m.spectralRolloff,
      m.spectralSlope,
      m.spectralCrest,
      m.loudness.total,
      m.perceptualSharpness,
      flux,
    ];
    values.forEach((v, i) => scalars[i]!.push(v));
    mfccs.push(m.mfcc);
    chromas.push(m.chroma);
    for (let b = 0; b < N_BANDS; b++) {
      const [lo, hi] = bandBins[b]!;
      const band = Array.from(spec.subarray(lo, Math.max(lo + 1, hi)), (v) => Math.log(v + 1e-9)).sort((a, c) => a - c);
      const k = Math.max(1, Math.round(band.length * 0.02));
      const valleyV = mean(band.slice(0, k));
      const peakV = mean(band.slice(band.length - k));
      contrast[b]!.push(peakV - valleyV);
      valley[b]!.push(valleyV);
    }
  }

  let o = 0;
  const put = (v: number) => {
    out[o++] = Number.isFinite(v) ? v : 0;
  };
  for (const s of scalars) {
    put(mean(s));
    put(std(s));
  }
  for (let i = 0; i < N_MFCC; i++) {
    const col = mfccs.map((r) => r[i] ?? 0);
    put(mean(col));
    put(std(col));
  }
  for (let i = 0; i < N_MFCC; i++) {
    let acc = 0;
    for (let f = 1; f < mfccs.length; f++) acc += Math.abs((mfccs[f]![i] ?? 0) - (mfccs[f - 1]![i] ?? 0));
    put(mfccs.length > 1 ? acc / (mfccs.length - 1) : 0);
  }
  for (let b = 0; b < N_BANDS; b++) {
    put(mean(contrast[b]!));
    put(std(contrast[b]!));
    put(mean(valley[b]!));
  }

  const db = rmsAll.map((r) => 20 * Math.log10(r + 1e-9)).sort((a, b) => a - b);
  const p10 = quantile(db, 0.1);
  const p90 = quantile(db, 0.9);
  put(p10);
  put(quantile(db, 0.5));
  put(p90);
  put(p90 - p10);
  const rmsMean = mean(rmsAll);
  put(rmsAll.filter((r) => r < rmsMean).length / rmsAll.length);

  for (const v of tonality(chromas)) put(v);
  for (const v of rhythm(x, sr, fluxAll)) put(v);
  if (o !== FEATURE_COUNT) throw new Error(`feature count mismatch: ${o} vs ${FEATURE_COUNT}`);
  return out;
}

/** Key/mode statistics: [major, minor, mode, clarity, entropy, change, ...12 tonic-relative chroma]. */
function tonality(chromas: number[][]): number[] {
  const avg = new Array<number>(12).fill(0);
  let change = 0;
  for (let f = 0; f < chromas.length; f++) {
    const c = chromas[f]!;
    for (let i = 0; i < 12; i++) avg[i]! += c[i] ?? 0;
    if (f > 0) change += 1 - cosine(c, chromas[f - 1]!);
  }
  const total = avg.reduce((a, v) => a + v, 0);
  if (!(total > 0)) return new Array<number>(18).fill(0);
  const p = avg.map((v) => v / total);
  let bestMajor = -Infinity;
  let bestMinor = -Infinity;
  let tonicMajor = 0;
  let tonicMinor = 0;
  for (let k = 0; k < 12; k++) {
    const rotated = range(12).map((i) => p[(i + k) % 12]!);
    const cMaj = pearson(rotated, MAJOR);
    const cMin = pearson(rotated, MINOR);
    if (cMaj > bestMajor) [bestMajor, tonicMajor] = [cMaj, k];
    if (cMin > bestMinor) [bestMinor, tonicMinor] = [cMin, k];
  }
  const tonic = bestMajor >= bestMinor ? tonicMajor : tonicMinor;
  const entropy = -p.reduce((a, v) => a + (v > 0 ? v * Math.log(v) : 0), 0) / Math.log(12);
  return [
    bestMajor,
    bestMinor,
    bestMajor - bestMinor,
    Math.max(bestMajor, bestMinor),
    entropy,
    chromas.length > 1 ? change / (chromas.length - 1) : 0,
    ...range(12).map((i) => p[(i + tonic) % 12]!),
  ];
}

/** [tempo in BPM, pulse clarity, onsets per second]. */
function rhythm(x: Float32Array, sr: number, flux: number[]): number[] {
  // Onset envelope: half-wave-rectified difference of log energy in 256-sample blocks of a
  // first-difference (high-passed) signal, which favours percussive attacks.
  const hop = 256;
  const n = Math.floor(x.length / hop);
  const env = new Float64Array(n);
  let prevLog = 0;
  for (let b = 0; b < n; b++) {
    let e = 0;
    for (let i = b * hop + 1; i < (b + 1) * hop; i++) {
      const d = x[i]! - x[i - 1]!;
      e += d * d;
    }
    const l = Math.log(e + 1e-6);
    env[b] = b > 0 ? Math.max(0, l - prevLog) : 0;
    prevLog = l;
  }
  const envMean = env.reduce((a, v) => a + v, 0) / Math.max(1, n);
  for (let b = 0; b < n; b++) env[b]! -= envMean;
  const fps = sr / hop;
  const minLag = Math.floor((60 / 200) * fps);
  const maxLag = Math.min(n - 1, Math.ceil((60 / 50) * fps));
  let zero = 0;
  for (let b = 0; b < n; b++) zero += env[b]! * env[b]!;
  let bestLag = 0;
  let bestScore = -Infinity;
  let bestAc = 0;
  for (let lag = minLag; lag <= maxLag; lag++) {
    let ac = 0;
    for (let b = lag; b < n; b++) ac += env[b]! * env[b - lag]!;
    ac /= zero > 0 ? zero : 1;
    // Prefer tempi near 120 BPM (log-Gaussian prior), as human tapping does.
    const bpm = (60 * fps) / lag;
    const score = ac * Math.exp(-0.5 * (Math.log2(bpm / 120) / 1) ** 2);
    if (score > bestScore) [bestScore, bestLag, bestAc] = [score, lag, ac];
  }
  const tempo = bestLag > 0 ? (60 * fps) / bestLag : 0;

  // Onsets: local maxima of the frame flux above its median + 1 std.
  const thr = quantile([...flux].sort((a, b) => a - b), 0.5) + std(flux);
  let peaks = 0;
  for (let f = 1; f + 1 < flux.length; f++) if (flux[f]! > thr && flux[f]! >= flux[f - 1]! && flux[f]! > flux[f + 1]!) peaks++;
  const seconds = x.length / sr;
  return [tempo, bestAc, peaks / seconds];
}

function mean(a: ArrayLike<number>): number {
  if (!a.length) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

function std(a: ArrayLike<number>): number {
  if (a.length < 2) return 0;
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - m) ** 2;
  return Math.sqrt(s / a.length);
}

/** `sorted` must be ascending. */
function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

function pearson(a: number[], b: number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - ma) * (b[i]! - mb);
    da += (a[i]! - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : 0;
}

function cosine(a: number[], b: number[]): number {
  let num = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] ?? 0) * (b[i] ?? 0);
    na += (a[i] ?? 0) ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return na > 0 && nb > 0 ? num / Math.sqrt(na * nb) : 1;
}
