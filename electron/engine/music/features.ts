/**
 * Audio features for the song-emotion model: mono samples → a fixed-length, named
 * Float32Array. Pure (no I/O); the same code runs in training and in the app.
 *
 * Layout: N_VIEWS "views" of the same BASE_FEATURE_NAMES, one after the other: view 0 is
 * the whole window (≤ 30 s), views 1..N_SEGMENTS are SEGMENT_SECONDS-long segments spread
 * evenly over it (10-s segments starting at 0, 5, 10, 15, 20 s of a 30-s clip). Frame-level
 * descriptors are computed once; each view only re-aggregates the frames it covers, so the
 * segments cost little. The model (model.ts) can average its prediction over the views.
 *
 * Level: the window is first scaled to an integrated loudness of TARGET_LUFS (BS.1770 /
 * EBU R128, loudness.ts), so no feature depends on how loud the track was mastered; levels
 * below (RMS percentiles, loudness, MFCC 0, band valleys) are relative to that loudness.
 *
 * Frames: 2048 samples (93 ms) with a 1024 hop at 22 050 Hz, Hann window, through Meyda.
 * Frames quieter than -70 dBFS RMS are left out of the spectral statistics, because the
 * spectral shape of digital silence is noise. Per view (BASE_FEATURE_NAMES has the order):
 *
 *  - Low-level spectral/temporal descriptors, mean and std over frames: RMS, zero-crossing
 *    rate, spectral centroid, spread, flatness, roll-off, slope, crest, total loudness and
 *    perceptual sharpness (Meyda), and spectral flux (ours: Meyda's flux extractor indexes
 *    out of range, see its source).
 *  - Timbre: 13 MFCCs (Meyda), mean and std, plus mean |Δ| between frames.
 *  - Spectral contrast in 7 octave bands (Jiang et al. 2002): mean and std of peak − valley
 *    in log magnitude, and the mean valley. It separates harmonic from noisy textures.
 *  - Dynamics: RMS in dB at the 10th/50th/90th percentile, their range, and the share of
 *    frames below the mean RMS (low-energy ratio); std of RMS in dB and the crest factor
 *    (peak / RMS of the samples, dB).
 *  - Tonality (valence cues): the mean chroma (Meyda) correlated with the Krumhansl–Kessler
 *    major and minor key profiles in all 12 rotations: best major and best minor
 *    correlation, their difference (mode), key clarity, chroma entropy, frame-to-frame
 *    chroma change (harmonic rhythm), and the mean chroma rotated so the estimated tonic is
 *    bin 0 (so it is key-independent). Local key: the same mode/clarity on ~3-s blocks,
 *    mean and std of the mode and the share of major blocks. Chords: per frame, the best
 *    major-triad minus best minor-triad template score (mean, std, share of frames with a
 *    major winner) and the mean per-frame chroma entropy. Tonal centroid (Tonnetz, Harte
 *    et al. 2006) of the chroma: mean and std of its 6 coordinates and the mean distance
 *    between consecutive frames (harmonic change). Sensory dissonance: Plomp–Levelt
 *    roughness of the 8 strongest spectral peaks below 5 kHz (Sethares' parametrisation),
 *    normalised by their energy, mean and std.
 *  - Rhythm (arousal cues): tempo from the autocorrelation of an onset envelope (11.6 ms
 *    hops), pulse clarity (the autocorrelation peak), and onset rate (flux peaks per second);
 *    a beat histogram (mean positive autocorrelation in 40–80, 80–160 and 160–240 BPM), the
 *    autocorrelation at twice the beat period (metre strength), and the mean and std of the
 *    onset envelope (attack strength).
 */
import MeydaModule from 'meyda';
import { TARGET_RATE, resample } from './decode-window.ts';
import { normaliseLoudness } from './loudness.ts';

// Meyda ships CommonJS (`module.exports = Meyda`) with ESM-style typings, so under NodeNext
// the typed default import is the namespace while the runtime value is Meyda itself.
type MeydaApi = typeof MeydaModule.default;
const Meyda: MeydaApi = 'extract' in MeydaModule ? (MeydaModule as unknown as MeydaApi) : MeydaModule.default;

/**
 * Bumped whenever the same names start to mean different numbers, so that caches and a
 * model trained on other numbers are refused. 3: the window is loudness-normalised first.
 */
export const FEATURE_VERSION = 3;

export const FRAME_SIZE = 2048;
export const HOP_SIZE = 1024;
/** Length of the segment views, and how many there are. */
export const SEGMENT_SECONDS = 10;
export const N_SEGMENTS = 5;
export const N_VIEWS = 1 + N_SEGMENTS;
const N_MFCC = 13;
const SILENT_RMS = 10 ** (-70 / 20);
/** Frames per local-key block (~3 s). */
const KEY_BLOCK = 64;

const SCALARS = ['rms', 'zcr', 'centroid', 'spread', 'flatness', 'rolloff', 'slope', 'crest', 'loudness', 'sharpness', 'flux'] as const;
/** Octave band edges in Hz for spectral contrast. */
const CONTRAST_EDGES = [0, 200, 400, 800, 1600, 3200, 6400, 11025];
const N_BANDS = CONTRAST_EDGES.length - 1;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The features of one view (whole window or one segment). */
export const BASE_FEATURE_NAMES: readonly string[] = [
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
  // Added in feature version 2.
  'rms_db_std',
  'crest_db',
  'key_local_mode_mean',
  'key_local_mode_std',
  'key_local_major_share',
  'key_local_clarity',
  'chord_majorness_mean',
  'chord_majorness_std',
  'chord_major_share',
  'chroma_frame_entropy',
  ...range(6).map((i) => `tonnetz${i}_mean`),
  ...range(6).map((i) => `tonnetz${i}_std`),
  'tonnetz_change',
  'dissonance_mean',
  'dissonance_std',
  'beat_hist_slow',
  'beat_hist_mid',
  'beat_hist_fast',
  'metre_strength',
  'onset_env_mean',
  'onset_env_std',
];
export const BASE_FEATURE_COUNT = BASE_FEATURE_NAMES.length;

export const FEATURE_NAMES: readonly string[] = [
  ...BASE_FEATURE_NAMES,
  ...range(N_SEGMENTS).flatMap((s) => BASE_FEATURE_NAMES.map((n) => `seg${s}.${n}`)),
];
export const FEATURE_COUNT = FEATURE_NAMES.length;

// Krumhansl & Kessler (1982) probe-tone profiles, tonic first.
const MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];
// Tonnetz (Harte, Sandler & Gasser 2006): fifths, minor thirds, major thirds.
const TONNETZ = range(12).map((l) => [
  Math.sin((l * 7 * Math.PI) / 6),
  Math.cos((l * 7 * Math.PI) / 6),
  Math.sin((l * 3 * Math.PI) / 2),
  Math.cos((l * 3 * Math.PI) / 2),
  0.5 * Math.sin((l * 2 * Math.PI) / 3),
  0.5 * Math.cos((l * 2 * Math.PI) / 3),
]);

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

/** Per-frame descriptors of the whole window; views aggregate slices of them. */
interface Frames {
  rms: number[];
  flux: number[];
  /** Per frame: null when silent, else its descriptors. */
  voiced: (VoicedFrame | null)[];
}

interface VoicedFrame {
  scalars: number[];
  mfcc: number[];
  chroma: number[];
  contrast: number[];
  valley: number[];
  majorness: number;
  chromaEntropy: number;
  tonnetz: number[];
  dissonance: number;
}

/**
 * Feature vector of a mono clip (all views); resamples to TARGET_RATE first if needed.
 * `normalised`: the input is already at TARGET_RATE and loudness-normalised (normaliseLoudness).
 */
export function extractFeatures(input: Float32Array, sampleRate: number, options: { normalised?: boolean } = {}): Float32Array {
  const sr = TARGET_RATE;
  if (options.normalised && sampleRate !== TARGET_RATE) throw new Error(`normalised input must be at ${TARGET_RATE} Hz`);
  // Level-invariant from here on: every window is brought to the same integrated loudness.
  const x = options.normalised ? input : normaliseLoudness(sampleRate === TARGET_RATE ? input : resample(input, sampleRate, TARGET_RATE), sr);
  const out = new Float32Array(FEATURE_COUNT);
  const nFrames = x.length >= FRAME_SIZE ? 1 + Math.floor((x.length - FRAME_SIZE) / HOP_SIZE) : 0;
  if (nFrames < 4) return out;
  const frames = frameDescriptors(x, sr, nFrames);
  const env = onsetEnvelope(x);
  const segLen = Math.min(x.length, SEGMENT_SECONDS * sr);
  const views: [number, number][] = [[0, x.length]];
  for (let s = 0; s < N_SEGMENTS; s++) {
    const start = Math.round((s * (x.length - segLen)) / Math.max(1, N_SEGMENTS - 1));
    views.push([start, start + segLen]);
  }
  views.forEach(([s0, s1], v) => {
    const f0 = Math.ceil(s0 / HOP_SIZE);
    const f1 = Math.max(f0 + 1, Math.min(nFrames, Math.floor((s1 - FRAME_SIZE) / HOP_SIZE) + 1));
    const feats = aggregate(x.subarray(s0, s1), sr, frames, f0, f1, env.subarray(Math.floor(s0 / ENV_HOP), Math.floor(s1 / ENV_HOP)));
    out.set(feats, v * BASE_FEATURE_COUNT);
  });
  return out;
}

function frameDescriptors(x: Float32Array, sr: number, nFrames: number): Frames {
  // Meyda keeps its configuration in a module-level object; set it on every call so that
  // another user of Meyda in the process cannot change our frame geometry.
  Meyda.bufferSize = FRAME_SIZE;
  Meyda.sampleRate = sr;
  Meyda.numberOfMFCCCoefficients = N_MFCC;
  Meyda.windowingFunction = 'hanning';
  const binHz = sr / FRAME_SIZE;
  const bandBins = range(N_BANDS).map((b) => [Math.max(1, Math.round(CONTRAST_EDGES[b]! / binHz)), Math.round(CONTRAST_EDGES[b + 1]! / binHz)] as const);
  const peakLo = Math.max(2, Math.round(50 / binHz));
  const peakHi = Math.round(5000 / binHz);
  const frames: Frames = { rms: [], flux: [], voiced: [] };
  let prevSpec: Float32Array | undefined;
  for (let f = 0; f < nFrames; f++) {
    const frame = x.subarray(f * HOP_SIZE, f * HOP_SIZE + FRAME_SIZE);
    const m = Meyda.extract(MEYDA_FEATURES as unknown as Parameters<MeydaApi['extract']>[0], frame) as unknown as MeydaFrame;
    frames.rms.push(m.rms);
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
    frames.flux.push(flux);
    if (m.rms < SILENT_RMS) {
      frames.voiced.push(null);
      continue;
    }
    const contrast: number[] = [];
    const valley: number[] = [];
    for (let b = 0; b < N_BANDS; b++) {
      const [lo, hi] = bandBins[b]!;
      const band = Array.from(spec.subarray(lo, Math.max(lo + 1, hi)), (v) => Math.log(v + 1e-9)).sort((a, c) => a - c);
      const k = Math.max(1, Math.round(band.length * 0.02));
      const valleyV = mean(band.slice(0, k));
      contrast.push(mean(band.slice(band.length - k)) - valleyV);
      valley.push(valleyV);
    }
    const chroma = m.chroma.map((v) => (Number.isFinite(v) ? v : 0));
    const cSum = chroma.reduce((a, v) => a + v, 0);
    let majorness = 0;
    let chromaEntropy = 1;
    const tonnetz = new Array<number>(6).fill(0);
    if (cSum > 0) {
      let bestMaj = -Infinity;
      let bestMin = -Infinity;
      for (let r = 0; r < 12; r++) {
        const root = chroma[r]!;
        const fifth = chroma[(r + 7) % 12]!;
        bestMaj = Math.max(bestMaj, root + chroma[(r + 4) % 12]! + fifth);
        bestMin = Math.max(bestMin, root + chroma[(r + 3) % 12]! + fifth);
      }
      majorness = (bestMaj - bestMin) / cSum;
      let h = 0;
      for (let i = 0; i < 12; i++) {
        const p = chroma[i]! / cSum;
        if (p > 0) h -= p * Math.log(p);
        for (let d = 0; d < 6; d++) tonnetz[d]! += (TONNETZ[i]![d]! * chroma[i]!) / cSum;
      }
      chromaEntropy = h / Math.log(12);
    }
    frames.voiced.push({
      scalars: [
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
      ],
      mfcc: m.mfcc,
      chroma,
      contrast,
      valley,
      majorness,
      chromaEntropy,
      tonnetz,
      dissonance: dissonance(spec, peakLo, peakHi, binHz),
    });
  }
  return frames;
}

/** Plomp–Levelt roughness of the strongest spectral peaks (Sethares 1993), per unit peak energy. */
function dissonance(spec: Float32Array, lo: number, hi: number, binHz: number): number {
  const N_PEAKS = 8;
  const amps: number[] = [];
  const freqs: number[] = [];
  for (let i = lo; i < hi && i + 1 < spec.length; i++) {
    const a = spec[i]!;
    if (!(a > spec[i - 1]! && a >= spec[i + 1]!)) continue;
    if (amps.length < N_PEAKS) {
      amps.push(a);
      freqs.push(i * binHz);
    } else {
      let w = 0;
      for (let j = 1; j < N_PEAKS; j++) if (amps[j]! < amps[w]!) w = j;
      if (a > amps[w]!) [amps[w], freqs[w]] = [a, i * binHz];
    }
  }
  let d = 0;
  let e = 0;
  for (let i = 0; i < amps.length; i++) {
    e += amps[i]! * amps[i]!;
    for (let j = i + 1; j < amps.length; j++) {
      const fmin = Math.min(freqs[i]!, freqs[j]!);
      const df = Math.abs(freqs[i]! - freqs[j]!);
      const s = 0.24 / (0.021 * fmin + 19);
      d += amps[i]! * amps[j]! * (Math.exp(-3.5 * s * df) - Math.exp(-5.75 * s * df));
    }
  }
  return e > 0 ? d / e : 0;
}

/** Onset envelope: half-wave-rectified difference of log energy in 256-sample blocks of a
 * first-difference (high-passed) signal, which favours percussive attacks. */
const ENV_HOP = 256;
function onsetEnvelope(x: Float32Array): Float64Array {
  const n = Math.floor(x.length / ENV_HOP);
  const env = new Float64Array(n);
  let prevLog = 0;
  for (let b = 0; b < n; b++) {
    let e = 0;
    for (let i = b * ENV_HOP + 1; i < (b + 1) * ENV_HOP; i++) {
      const d = x[i]! - x[i - 1]!;
      e += d * d;
    }
    const l = Math.log(e + 1e-6);
    env[b] = b > 0 ? Math.max(0, l - prevLog) : 0;
    prevLog = l;
  }
  return env;
}

/** One view's BASE_FEATURE_NAMES vector from frames [f0, f1) and its samples. */
function aggregate(x: Float32Array, sr: number, frames: Frames, f0: number, f1: number, env: Float64Array): number[] {
  const out: number[] = [];
  const put = (v: number) => out.push(Number.isFinite(v) ? v : 0);
  const voiced = frames.voiced.slice(f0, f1).filter((v): v is VoicedFrame => v !== null);
  const rmsAll = frames.rms.slice(f0, f1);
  const fluxAll = frames.flux.slice(f0, f1);
  for (let s = 0; s < SCALARS.length; s++) {
    const col = voiced.map((v) => v.scalars[s]!);
    put(mean(col));
    put(std(col));
  }
  for (let i = 0; i < N_MFCC; i++) {
    const col = voiced.map((r) => r.mfcc[i] ?? 0);
    put(mean(col));
    put(std(col));
  }
  for (let i = 0; i < N_MFCC; i++) {
    let acc = 0;
    for (let f = 1; f < voiced.length; f++) acc += Math.abs((voiced[f]!.mfcc[i] ?? 0) - (voiced[f - 1]!.mfcc[i] ?? 0));
    put(voiced.length > 1 ? acc / (voiced.length - 1) : 0);
  }
  for (let b = 0; b < N_BANDS; b++) {
    put(mean(voiced.map((v) => v.contrast[b]!)));
    put(std(voiced.map((v) => v.contrast[b]!)));
    put(mean(voiced.map((v) => v.valley[b]!)));
  }

  const dbUnsorted = rmsAll.map((r) => 20 * Math.log10(r + 1e-9));
  const db = [...dbUnsorted].sort((a, b) => a - b);
  const p10 = quantile(db, 0.1);
  const p90 = quantile(db, 0.9);
  put(p10);
  put(quantile(db, 0.5));
  put(p90);
  put(p90 - p10);
  const rmsMean = mean(rmsAll);
  put(rmsAll.length ? rmsAll.filter((r) => r < rmsMean).length / rmsAll.length : 0);

  const chromas = voiced.map((v) => v.chroma);
  const key = keyStats(chromas);
  for (const v of key.values) put(v);
  const rh = rhythm(env, sr, fluxAll, x.length / sr);
  for (const v of rh.slice(0, 3)) put(v);

  // Version 2 additions.
  put(std(dbUnsorted));
  let peak = 0;
  let energy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a > peak) peak = a;
    energy += a * a;
  }
  const rmsAllSamples = Math.sqrt(energy / Math.max(1, x.length));
  put(rmsAllSamples > 0 ? 20 * Math.log10(peak / rmsAllSamples) : 0);
  const local: number[][] = [];
  for (let b = 0; b + KEY_BLOCK / 2 <= chromas.length; b += KEY_BLOCK / 2) {
    const k = keyStats(chromas.slice(b, b + KEY_BLOCK));
    local.push([k.values[2]!, k.values[3]!]);
  }
  if (!local.length) local.push([key.values[2]!, key.values[3]!]);
  put(mean(local.map((l) => l[0]!)));
  put(std(local.map((l) => l[0]!)));
  put(local.filter((l) => l[0]! > 0).length / local.length);
  put(mean(local.map((l) => l[1]!)));
  const maj = voiced.map((v) => v.majorness);
  put(mean(maj));
  put(std(maj));
  put(maj.length ? maj.filter((v) => v > 0).length / maj.length : 0);
  put(mean(voiced.map((v) => v.chromaEntropy)));
  for (let d = 0; d < 6; d++) put(mean(voiced.map((v) => v.tonnetz[d]!)));
  for (let d = 0; d < 6; d++) put(std(voiced.map((v) => v.tonnetz[d]!)));
  let tc = 0;
  for (let f = 1; f < voiced.length; f++) {
    let s = 0;
    for (let d = 0; d < 6; d++) s += (voiced[f]!.tonnetz[d]! - voiced[f - 1]!.tonnetz[d]!) ** 2;
    tc += Math.sqrt(s);
  }
  put(voiced.length > 1 ? tc / (voiced.length - 1) : 0);
  const dis = voiced.map((v) => v.dissonance);
  put(mean(dis));
  put(std(dis));
  for (const v of rh.slice(3)) put(v);
  if (out.length !== BASE_FEATURE_COUNT) throw new Error(`feature count mismatch: ${out.length} vs ${BASE_FEATURE_COUNT}`);
  return out;
}

/** Key/mode statistics: values = [major, minor, mode, clarity, entropy, change, ...12 tonic-relative chroma]. */
function keyStats(chromas: number[][]): { values: number[] } {
  const avg = new Array<number>(12).fill(0);
  let change = 0;
  for (let f = 0; f < chromas.length; f++) {
    const c = chromas[f]!;
    for (let i = 0; i < 12; i++) avg[i]! += c[i] ?? 0;
    if (f > 0) change += 1 - cosine(c, chromas[f - 1]!);
  }
  const total = avg.reduce((a, v) => a + v, 0);
  if (!(total > 0)) return { values: new Array<number>(18).fill(0) };
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
  return {
    values: [
      bestMajor,
      bestMinor,
      bestMajor - bestMinor,
      Math.max(bestMajor, bestMinor),
      entropy,
      chromas.length > 1 ? change / (chromas.length - 1) : 0,
      ...range(12).map((i) => p[(i + tonic) % 12]!),
    ],
  };
}

/** [tempo in BPM, pulse clarity, onsets per second, beat histogram slow/mid/fast, metre strength, envelope mean, envelope std]. */
function rhythm(envIn: Float64Array, sr: number, flux: number[], seconds: number): number[] {
  const n = envIn.length;
  const env = Float64Array.from(envIn);
  const envMean = mean(env);
  const envStd = std(env);
  for (let b = 0; b < n; b++) env[b]! -= envMean;
  const fps = sr / ENV_HOP;
  const minLag = Math.floor((60 / 200) * fps);
  const maxLag = Math.min(n - 1, Math.ceil((60 / 50) * fps));
  const lagLo = Math.floor((60 / 240) * fps);
  const lagHi = Math.min(n - 1, Math.ceil((60 / 40) * fps));
  let zero = 0;
  for (let b = 0; b < n; b++) zero += env[b]! * env[b]!;
  const acAt = new Float64Array(lagHi + 2);
  for (let lag = lagLo; lag <= lagHi; lag++) {
    let ac = 0;
    for (let b = lag; b < n; b++) ac += env[b]! * env[b - lag]!;
    acAt[lag] = ac / (zero > 0 ? zero : 1);
  }
  let bestLag = 0;
  let bestScore = -Infinity;
  let bestAc = 0;
  for (let lag = minLag; lag <= maxLag; lag++) {
    const ac = acAt[lag]!;
    // Prefer tempi near 120 BPM (log-Gaussian prior), as human tapping does.
    const bpm = (60 * fps) / lag;
    const score = ac * Math.exp(-0.5 * (Math.log2(bpm / 120) / 1) ** 2);
    if (score > bestScore) [bestScore, bestLag, bestAc] = [score, lag, ac];
  }
  const tempo = bestLag > 0 ? (60 * fps) / bestLag : 0;
  const band = (bpmLo: number, bpmHi: number) => {
    const l0 = Math.max(lagLo, Math.ceil((60 / bpmHi) * fps));
    const l1 = Math.min(lagHi, Math.floor((60 / bpmLo) * fps));
    let s = 0;
    for (let l = l0; l <= l1; l++) s += Math.max(0, acAt[l]!);
    return l1 >= l0 ? s / (l1 - l0 + 1) : 0;
  };
  const metre = bestLag > 0 && 2 * bestLag <= lagHi ? acAt[2 * bestLag]! : 0;

  // Onsets: local maxima of the frame flux above its median + 1 std.
  const thr = quantile([...flux].sort((a, b) => a - b), 0.5) + std(flux);
  let peaks = 0;
  for (let f = 1; f + 1 < flux.length; f++) if (flux[f]! > thr && flux[f]! >= flux[f - 1]! && flux[f]! > flux[f + 1]!) peaks++;
  return [tempo, bestAc, seconds > 0 ? peaks / seconds : 0, band(40, 80), band(80, 160), band(160, 240), metre, envMean, envStd];
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
