/**
 * Times the matcher (shared/match.ts) on synthetic collections up to archive size, each goal,
 * in this process: `npm run bench:match [-- --portraits 20000 --songs 5000 --runs 3]`.
 * Prints the median of the runs per goal; the figure to hold against issue 23's 2 s.
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import { defaultSpec, playlistFromSpec, type MatchMode } from '../../shared/match.ts';
import { syntheticCollection } from './match-synthetic.ts';

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
  for (const mode of ['match', 'lift', 'calm'] as MatchMode[]) {
    const times: number[] = [];
    let matched = 0;
    let deepest = 0;
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      const entries = playlistFromSpec(portraits, songs, { ...defaultSpec(), mode });
      times.push(performance.now() - t);
      matched = entries.filter((e) => e.songId !== null).length;
      deepest = Math.max(...entries.map((e) => e.rank ?? 0));
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`| ${np} | ${ns} | ${mode} | ${Math.round(sorted[sorted.length >> 1]!)} | ${times.map(Math.round).join(', ')} | ${matched} | ${deepest} |`);
  }
}
