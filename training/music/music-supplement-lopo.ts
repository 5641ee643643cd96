/**
 * Does the game-music supplement (models/music/game-train/) teach something that holds for game music
 * from another package? Leave one package out: train the shipped recipe on the 4Q clips plus the
 * supplement's other packages (each track counted w times), read the held-out package's tracks.
 * w = 0 is the shipped model's recipe on 4Q alone. Measures only; nothing is written.
 *
 *   node --import tsx training/music/music-supplement-lopo.ts [member+member…]   (default: the shipped KRR)
 */
import { loadHandcrafted, loadSupplement, handcraftedMembers, fitMember, predictProbs } from './train-music.ts';
import { emotionFromProbs } from '../../electron/engine/music/model.ts';
import { MUSIC_QUADRANTS } from '../../shared/emotion.ts';
const data = await loadHandcrafted(() => {});
const sup = await loadSupplement(() => {});
const n = data.X.length;
const X = [...data.X, ...sup.X];
const y = [...data.y, ...sup.y];
const names = (process.argv[2] ?? 'krr(all,γ=0.5/d,λ=0.3)').split('+');
const specs = handcraftedMembers().filter((m) => names.includes(m.name));
const pkgs = [...new Set(sup.groups)];
const all4 = Array.from({ length: n }, (_, i) => i);
for (const w of [0, 1, 2, 4]) {
  let ar = 0, qr = 0; const perQ: Record<string, [number, number]> = {};
  for (const g of pkgs) {
    const others = sup.groups.flatMap((gg, i) => (gg === g ? [] : Array(w).fill(n + i)));
    const fitted = specs.map((s) => fitMember(X, y, [...all4, ...others], s, 1));
    sup.groups.forEach((gg, i) => {
      if (gg !== g) return;
      const e = emotionFromProbs(predictProbs(fitted, X[n + i]!));
      const q = MUSIC_QUADRANTS[sup.y[i]!]!;
      const high = q === 'Q1' || q === 'Q2';
      if ((e.arousal >= 0) === high) ar++;
      const ok = e.quadrant === q; if (ok) qr++;
      perQ[q] ??= [0, 0]; perQ[q]![0] += ok ? 1 : 0; perQ[q]![1]++;
    });
  }
  console.log(`w=${w}: leave-one-package-out on ${sup.X.length} game tracks: arousal sign ${ar}/${sup.X.length}, quadrant ${qr}/${sup.X.length} (${Object.entries(perQ).sort().map(([q, [a, b]]) => `${q} ${a}/${b}`).join(', ')})`);
}
