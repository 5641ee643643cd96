/**
 * Why the song model does not carry to game music, and whether anything cheap would change that.
 * Reads the 4Q clips, the game-music supplement (39 tracks) and the real-music check (28 tracks),
 * all from the feature caches the trainer and the check write. Measures only; nothing is written.
 *
 *   node --import tsx training/music/probes/music-transfer-probes.ts
 *
 * 1. Ranking: how well the shipped model's arousal score P(Q1)+P(Q2)−P(Q3)−P(Q4) orders high above
 *    low arousal within game music (AUC; a wrong threshold alone would leave a high AUC).
 * 2. Ceiling of the features: learners trained on the labelled game tracks themselves, scored
 *    leaving one package (or one track) out, against always answering the commoner arousal.
 * 3. Library-relative standardisation: each set scaled by its own mean and spread instead of 4Q's.
 * 4. Familiarity: the mean RBF kernel to the training clips (the KRR's own kernel) tells 4Q apart
 *    from game music, but does it tell right readings from wrong ones? And what would softening the
 *    probabilities of unfamiliar songs by it (a larger temperature) do to the log-loss on each side?
 */
import { loadHandcrafted, loadSupplement, handcraftedMembers, fitMember, predictProbs, groupFolds, applyTemperature, applyPrep, transform, nll, SEED, type Fitted, type MemberSpec } from '../train-music.ts';
import { readRealLabels, realFeatures } from '../music-real-check.ts';
import { emotionFromProbs, MusicModel } from '../../../electron/engine/music/model.ts';
import { MUSIC_QUADRANTS } from '../../../shared/emotion.ts';

interface Track {
  x: Float32Array;
  high: boolean;
  /** Index into MUSIC_QUADRANTS, or −1 where the title gives arousal only. */
  q: number;
  pkg: string;
  set: 'game-train' | 'real-check';
}

const data = await loadHandcrafted(() => {});
const sup = await loadSupplement(() => {});
const realTracks = readRealLabels();
const realX = await realFeatures(realTracks);
const game: Track[] = [
  ...sup.X.map((x, i): Track => ({ x, q: sup.y[i]!, high: sup.y[i]! < 2, pkg: sup.groups[i]!, set: 'game-train' })),
  ...realX.map((x, i): Track => {
    const t = realTracks[i]!;
    return { x, high: t.arousal === 'high', q: t.quadrant ? MUSIC_QUADRANTS.indexOf(t.quadrant) : -1, pkg: t.pkg, set: 'real-check' };
  }),
];
const spec = (name: string): MemberSpec => handcraftedMembers().find((m) => m.name === name)!;
const KRR = spec('krr(all,γ=0.5/d,λ=0.3)');
const LEARNERS = [spec('linear(all,l2=0.3)'), spec('mlp24(all,l2=0.03)'), KRR];
const all4 = data.X.map((_, i) => i);

const arousalScore = (p: number[]) => p[0]! + p[1]! - p[2]! - p[3]!;
const readsHigh = (p: number[]) => emotionFromProbs(p).arousal >= 0;
/** Probability that a random high-arousal track scores above a random low one (ties count half). */
function auc(scores: number[], positive: boolean[]): number {
  let s = 0;
  let n = 0;
  scores.forEach((a, i) => {
    if (!positive[i]) return;
    scores.forEach((b, j) => {
      if (positive[j]) return;
      s += a > b ? 1 : a === b ? 0.5 : 0;
      n++;
    });
  });
  return s / n;
}
const f2 = (v: number) => v.toFixed(2);
const sets = ['game-train', 'real-check'] as const;
const of = (set: (typeof sets)[number]) => game.filter((t) => t.set === set);

console.log(`4Q ${data.X.length} clips; game music: ${of('game-train').length} supplement tracks (${new Set(of('game-train').map((t) => t.pkg)).size} packages), ${of('real-check').length} real-check tracks (${new Set(of('real-check').map((t) => t.pkg)).size} packages)\n`);

// 1. Ranking by the shipped model (and the recipe refitted here, which the later probes use).
const refit = fitMember(data.X, data.y, all4, KRR, 1);
const file = MusicModel.load();
console.log('1. Within game music: the shipped model (models/music/model.json) and its recipe refitted here');
for (const set of sets) {
  const ts = of(set);
  for (const [name, probs] of [
    ['shipped model', (x: Float32Array) => file.probabilities(x)],
    ['recipe refitted', (x: Float32Array) => predictProbs(refit, x)],
  ] as const) {
    const ps = ts.map((t) => probs(t.x));
    const right = ts.filter((t, i) => readsHigh(ps[i]!) === t.high).length;
    console.log(`   ${set}, ${name}: arousal sign ${right}/${ts.length}; AUC of its arousal score ${f2(auc(ps.map(arousalScore), ts.map((t) => t.high)))}`);
  }
}

// 2. Learners trained on game music itself (tracks with a quadrant label; arousal read from the quadrant).
const labelled = game.filter((t) => t.q >= 0);
const X = labelled.map((t) => t.x);
const y = labelled.map((t) => t.q);
const highs = labelled.filter((t) => t.high).length;
const commonestQ = Math.max(...MUSIC_QUADRANTS.map((_, q) => y.filter((v) => v === q).length));
console.log(`\n2. Trained on the ${labelled.length} quadrant-labelled game tracks themselves (always the commoner arousal: ${Math.max(highs, labelled.length - highs)}/${labelled.length}; always the commonest quadrant: ${commonestQ}/${labelled.length})`);
const rows = labelled.map((_, i) => i);
for (const learner of LEARNERS) {
  const out: string[] = [];
  for (const [name, holdOut] of [
    ['one package out', (i: number, j: number) => labelled[i]!.pkg === labelled[j]!.pkg],
    ['one track out', (i: number, j: number) => i === j],
  ] as const) {
    let right = 0;
    let quadrant = 0;
    const done = new Set<number>();
    for (const i of rows) {
      if (done.has(i)) continue;
      const test = rows.filter((j) => holdOut(i, j));
      const fitted = fitMember(X, y, rows.filter((j) => !holdOut(i, j)), learner, 1);
      for (const j of test) {
        done.add(j);
        const p = predictProbs(fitted, X[j]!);
        if (readsHigh(p) === labelled[j]!.high) right++;
        if (emotionFromProbs(p).quadrant === MUSIC_QUADRANTS[labelled[j]!.q]) quadrant++;
      }
    }
    out.push(`${name}: arousal ${right}/${labelled.length}, quadrant ${quadrant}/${labelled.length}`);
  }
  console.log(`   ${learner.name}: ${out.join('; ')}`);
}

// 3. Each set standardised by its own statistics (the transform the recipe's prep applies first).
function relativeTo(f: Fitted, xs: Float32Array[]): Fitted {
  const { inputs, logInputs } = f.prep;
  const cols = inputs.map((c, j) => xs.map((x) => transform(x[c]!, logInputs[j]!)));
  const mean = cols.map((col) => col.reduce((a, v) => a + v, 0) / col.length);
  const std = cols.map((col, j) => Math.sqrt(col.reduce((a, v) => a + (v - mean[j]!) ** 2, 0) / col.length) || 1);
  return { prep: { ...f.prep, mean, std }, heads: f.heads };
}
console.log('\n3. Library-relative standardisation (each set scaled by its own mean and spread)');
for (const set of sets) {
  const ts = of(set);
  const rel = relativeTo(refit, ts.map((t) => t.x));
  const ps = ts.map((t) => predictProbs(rel, t.x));
  const right = ts.filter((t, i) => readsHigh(ps[i]!) === t.high).length;
  const q = ts.filter((t, i) => t.q >= 0 && emotionFromProbs(ps[i]!).quadrant === MUSIC_QUADRANTS[t.q]).length;
  console.log(`   ${set}: arousal sign ${right}/${ts.length}, quadrant ${q}/${ts.filter((t) => t.q >= 0).length}`);
}
{
  // The same on 4Q: each outer test fold (a "library" of ≈144 clips) scaled by its own statistics.
  const folds = groupFolds(data.y, data.clips.map((c) => c.group), 5, SEED);
  let plain = 0;
  let relative = 0;
  for (let f = 0; f < 5; f++) {
    const test = all4.filter((i) => folds[i] === f);
    const fitted = fitMember(data.X, data.y, all4.filter((i) => folds[i] !== f), KRR, 1);
    const rel = relativeTo(fitted, test.map((i) => data.X[i]!));
    for (const i of test) {
      if (emotionFromProbs(predictProbs(fitted, data.X[i]!)).quadrant === MUSIC_QUADRANTS[data.y[i]!]) plain++;
      if (emotionFromProbs(predictProbs(rel, data.X[i]!)).quadrant === MUSIC_QUADRANTS[data.y[i]!]) relative++;
    }
  }
  console.log(`   4Q, artist-grouped 5-fold (seed ${SEED}), quadrant accuracy: ${plain}/${data.X.length} as trained, ${relative}/${data.X.length} with each test fold scaled by itself`);
}

// 4. Familiarity: mean kernel value to the training clips.
function familiarity(f: Fitted, x: Float32Array): number {
  const head = f.heads[0]!;
  if (head.type !== 'rbf') throw new Error('familiarity needs the KRR head');
  const z = applyPrep(f.prep, x, 0);
  let s = 0;
  for (const sv of head.support) {
    let d = 0;
    for (let t = 0; t < z.length; t++) d += (z[t]! - sv[t]!) ** 2;
    s += Math.exp(-head.gamma * d);
  }
  return s / head.support.length;
}
{
  const folds = groupFolds(data.y, data.clips.map((c) => c.group), 5, SEED);
  const fam4: number[] = [];
  const right4: boolean[] = [];
  const probs4: number[][] = [];
  const y4: number[] = [];
  for (let f = 0; f < 5; f++) {
    const fitted = fitMember(data.X, data.y, all4.filter((i) => folds[i] !== f), KRR, 1);
    for (const i of all4.filter((j) => folds[j] === f)) {
      fam4.push(familiarity(fitted, data.X[i]!));
      probs4.push(predictProbs(fitted, data.X[i]!));
      y4.push(data.y[i]!);
      right4.push(emotionFromProbs(probs4.at(-1)!).quadrant === MUSIC_QUADRANTS[data.y[i]!]);
    }
  }
  const famG = game.map((t) => familiarity(refit, t.x));
  const rightG = game.map((t) => readsHigh(predictProbs(refit, t.x)) === t.high);
  const sorted = [...fam4].sort((a, b) => a - b);
  const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;
  console.log('\n4. Familiarity (mean RBF kernel to the training clips; 4Q clips scored out of fold)');
  console.log(`   median: 4Q ${f2(median(fam4))}, game music ${f2(median(famG))}; game music's median sits at 4Q's ${Math.round((100 * sorted.filter((v) => v < median(famG)).length) / sorted.length)}th percentile`);
  console.log(`   AUC telling 4Q from game music: ${f2(auc([...fam4, ...famG], [...fam4.map(() => true), ...famG.map(() => false)]))}`);
  console.log(`   AUC telling right from wrong readings: game music (arousal sign) ${f2(auc(famG, rightG))}, 4Q (quadrant) ${f2(auc(fam4, right4))}`);
  // T = T0 · (1 + β · how far below 4Q's median familiarity a song lies, as a share of that median).
  const ref = median(fam4);
  const t0 = file.file.temperature ?? 1;
  const soften = (p: number[], fam: number, beta: number) => applyTemperature(p, t0 * (1 + beta * Math.max(0, (ref - fam) / ref)));
  const withQ = game.map((t, i) => ({ t, fam: famG[i]!, p: predictProbs(refit, t.x) })).filter((r) => r.t.q >= 0);
  console.log(`   softening unfamiliar songs, T = ${t0.toFixed(2)}·(1 + β·max(0, (median − familiarity)/median)); quadrant log-loss (uniform: ${Math.log(4).toFixed(2)}):`);
  for (const beta of [0, 2, 8, 32]) {
    const l4 = nll(y4, probs4.map((p, i) => soften(p, fam4[i]!, beta)));
    const lg = nll(withQ.map((r) => r.t.q), withQ.map((r) => soften(r.p, r.fam, beta)));
    console.log(`     β ${beta}: 4Q out of fold ${l4.toFixed(3)}, game music (${withQ.length} tracks) ${lg.toFixed(3)}`);
  }
}
