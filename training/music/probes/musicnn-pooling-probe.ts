/**
 * Probe: does pooling the musicnn patches differently than a plain mean help the 4Q heads?
 * Plain artist-grouped 5-fold CV (not nested; a direction, not a figure to report), 3 seeds,
 * the shipped members' kinds. Reads the per-patch readings cached by dump-musicnn.ts
 * (MUSICNN_NETS=msd by default; =mtt,msd adds the MTT + MSD variant).
 *   [MUSICNN_NETS=mtt,msd] node --import tsx training/music/probes/musicnn-pooling-probe.ts
 */
import path from 'node:path';
import { MUSIC_QUADRANTS } from '../../../shared/emotion.ts';
import { FEATURE_NAMES } from '../../../electron/engine/music/features.ts';
import { NET_WIDTH, type SongReadings } from '../../../electron/engine/music/song-readings.ts';
import { cachedReadings } from '../musicnn/musicnn-cache.ts';
import { DATA_DIR, crossValProbs, fitMember, groupFolds, predictProbs, readLabels, score, type MemberSpec } from '../train-music.ts';

const clips = readLabels();
const y = clips.map((c) => MUSIC_QUADRANTS.indexOf(c.quadrant));
const groups = clips.map((c) => c.group);
const readings: SongReadings[] = clips.map((c) => {
  const r = cachedReadings(path.join(DATA_DIR, c.file));
  if (!r) throw new Error(`no cached readings for ${c.file}: run dump-musicnn.ts with MUSICNN_NETS=mtt,msd`);
  return r;
});
const OFF = FEATURE_NAMES.length;
const MTT = 0;
const MSD = NET_WIDTH;

type Pool = (rows: Float32Array[], from: number, n: number) => number[];
const mean: Pool = (rows, from, n) => Array.from({ length: n }, (_, i) => rows.reduce((a, r) => a + r[from + i]!, 0) / rows.length);
const std: Pool = (rows, from, n) => {
  const m = mean(rows, from, n);
  return m.map((mu, i) => Math.sqrt(rows.reduce((a, r) => a + (r[from + i]! - mu) ** 2, 0) / rows.length));
};
const max: Pool = (rows, from, n) => Array.from({ length: n }, (_, i) => Math.max(...rows.map((r) => r[from + i]!)));

/** A row whose 'mnn' columns (500 from OFF) hold `a` then `b`, whose 'msd' columns are the second 250. */
function row(a: number[], b: number[]): Float32Array {
  const x = new Float32Array(OFF + 2 * NET_WIDTH);
  x.set(a, OFF);
  x.set(b, OFF + NET_WIDTH);
  return x;
}

const variants: Record<string, { X: Float32Array[]; set: 'msd' | 'mnn' }> = {
  'msd mean': { X: readings.map((r) => row(mean(r.rows, MTT, NET_WIDTH), mean(r.rows, MSD, NET_WIDTH))), set: 'msd' },
  'msd mean+std': { X: readings.map((r) => row(mean(r.rows, MSD, NET_WIDTH), std(r.rows, MSD, NET_WIDTH))), set: 'mnn' },
  'msd mean+max': { X: readings.map((r) => row(mean(r.rows, MSD, NET_WIDTH), max(r.rows, MSD, NET_WIDTH))), set: 'mnn' },
  'mtt+msd mean': { X: readings.map((r) => row(mean(r.rows, MTT, NET_WIDTH), mean(r.rows, MSD, NET_WIDTH))), set: 'mnn' },
};
// Without the MTT network's readings in the cache (MUSICNN_NETS=msd, the default) its columns are
// zero and the MTT + MSD variant would only repeat the MSD one.
if (readings.every((r) => r.rows.every((row) => row.subarray(MTT, MTT + NET_WIDTH).every((v) => v === 0)))) {
  console.log('  (no MTT readings in the cache: the mtt+msd variant is skipped; run with MUSICNN_NETS=mtt,msd after dump-musicnn.ts)');
  delete variants['mtt+msd mean'];
}
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

const members = (set: 'msd' | 'mnn'): MemberSpec[] => [
  { name: `linear(${set},l2=0.1)`, features: set, log: false, model: 'linear', l2: 0.1, views: 'whole' },
  { name: `linear(${set},l2=0.3)`, features: set, log: false, model: 'linear', l2: 0.3, views: 'whole' },
  { name: `krr(${set},γ=0.5/d,λ=0.3)`, features: set, log: false, model: 'krr', l2: 0.3, gammaScale: 0.5, views: 'whole' },
];
const SEEDS = [20180101, 20181101, 20182101];
const pct = (v: number) => (100 * v).toFixed(1);
const avg = (ps: number[][][]) => ps[0]!.map((_, i) => ps[0]![i]!.map((_, k) => ps.reduce((a, p) => a + p[i]![k]!, 0) / ps.length));

function report(name: string, perSeed: number[][][][]): void {
  // perSeed[seed][member] = probs
  const line = (label: string, pick: (ms: number[][][]) => number[][]) => {
    const f1 = perSeed.map((ms) => score(y, pick(ms)).macroF1);
    const m = f1.reduce((a, v) => a + v, 0) / f1.length;
    console.log(`  ${name} ${label}: macro-F1 ${pct(m)} % (${f1.map(pct).join(', ')})`);
  };
  line('linear 0.1', (ms) => ms[0]!);
  line('linear 0.3', (ms) => ms[1]!);
  line('krr', (ms) => ms[2]!);
  line('linear 0.1 + krr', (ms) => avg([ms[0]!, ms[2]!]));
}

const all = clips.map((_, i) => i);
for (const [name, v] of Object.entries(variants)) {
  if (only && !name.includes(only)) continue;
  const t0 = performance.now();
  const perSeed = SEEDS.map((seed) => {
    const folds = groupFolds(y, groups, 5, seed);
    return members(v.set).map((m) => crossValProbs(v.X, y, all, m, folds, seed));
  });
  report(name, perSeed);
  console.log(`    (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

// Patch-level: every patch of a training clip is a row with the clip's label; a clip's
// prediction averages its patches' probabilities.
if (!only || 'patches'.includes(only)) {
  const t0 = performance.now();
  const pX: Float32Array[] = [];
  const pClip: number[] = [];
  readings.forEach((r, c) => r.rows.forEach((p) => {
    pX.push(row(Array.from(p.subarray(MTT, MTT + NET_WIDTH)), Array.from(p.subarray(MSD, MSD + NET_WIDTH))));
    pClip.push(c);
  }));
  const pY = pClip.map((c) => y[c]!);
  const specs = members('msd').slice(0, 2);
  const perSeed = SEEDS.map((seed) => {
    const folds = groupFolds(y, groups, 5, seed);
    return specs.map((m) => {
      const out: number[][] = clips.map(() => [0, 0, 0, 0]);
      for (let f = 0; f < 5; f++) {
        const train = pClip.flatMap((c, j) => (folds[c] !== f ? [j] : []));
        const model = fitMember(pX, pY, train, m, seed + f);
        const n = clips.map(() => 0);
        pClip.forEach((c, j) => {
          if (folds[c] !== f) return;
          predictProbs(model, pX[j]!).forEach((p, k) => (out[c]![k]! += p));
          n[c]!++;
        });
        out.forEach((p, c) => { if (n[c]) for (let k = 0; k < 4; k++) p[k]! /= n[c]!; });
      }
      return out;
    });
  });
  for (const [i, m] of specs.entries()) {
    const f1 = perSeed.map((ms) => score(y, ms[i]!).macroF1);
    console.log(`  patches ${m.name}: macro-F1 ${pct(f1.reduce((a, v) => a + v, 0) / f1.length)} % (${f1.map(pct).join(', ')}), ${pX.length} patch rows`);
  }
  console.log(`    (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}
