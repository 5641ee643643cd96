/**
 * Times the matcher (shared/match.ts) on synthetic collections up to archive size, each goal,
 * in this process: `npm run bench:match [-- --portraits 20000 --songs 5000 --runs 3]`.
 * Prints the median of the runs per goal; the figure to hold against issue 23's 2 s.
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import { MATCH_MODES, type MatchMode } from '../../shared/match.ts';
import { syntheticCollection, timeGoals } from './match-synthetic.ts';

const { values } = parseArgs({ options: { portraits: { type: 'string' }, songs: { type: 'string' }, runs: { type: 'string', default: '3' } } });
const sizes: [number, number][] = values.portraits || values.songs
  ? [[Number(values.portraits ?? 20000), Number(values.songs ?? 5000)]]
  : [[2000, 300], [20000, 5000]];
const runs = Math.max(1, Number(values.runs));
console.log(`matcher bench: ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('| portraits | songs | goal | median ms | runs (ms) | matched | deepest rank |');
console.log('|---:|---:|---|---:|---|---:|---:|');
for (const [np, ns] of sizes) {
  const { portraits, songs } = syntheticCollection(np, ns);
  const times = new Map<MatchMode, number[]>(MATCH_MODES.map((m) => [m, []]));
  const shape = new Map<MatchMode, { matched: number; deepest: number }>();
  for (let r = 0; r < runs; r++) {
    const ms = timeGoals(portraits, songs, (mode, entries) =>
      shape.set(mode, { matched: entries.filter((e) => e.songId !== null).length, deepest: Math.max(...entries.map((e) => e.rank ?? 0)) }),
    );
    for (const mode of MATCH_MODES) times.get(mode)!.push(ms[mode]);
  }
  for (const mode of MATCH_MODES) {
    const t = times.get(mode)!;
    const { matched, deepest } = shape.get(mode)!;
    const sorted = [...t].sort((a, b) => a - b);
    console.log(`| ${np} | ${ns} | ${mode} | ${Math.round(sorted[sorted.length >> 1]!)} | ${t.map(Math.round).join(', ')} | ${matched} | ${deepest} |`);
  }
}
