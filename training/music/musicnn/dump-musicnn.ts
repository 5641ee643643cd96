/**
 * Fills the musicnn cache (musicnn-cache.ts) for the 4Q clips; run several at once on several cores:
 *
 *   node --import tsx training/music/musicnn/dump-musicnn.ts --shard 0/2 & node --import tsx training/music/musicnn/dump-musicnn.ts --shard 1/2
 *
 * Prints the seconds per clip (decode + front end + both networks).
 */
import path from 'node:path';
import { DATA_DIR, readLabels } from '../train-music.ts';
import { cachedReadings, readingsOf } from './musicnn-cache.ts';

const arg = process.argv.indexOf('--shard');
const [shard, shards] = arg > 0 ? process.argv[arg + 1]!.split('/').map(Number) : [0, 1];
const files = readLabels().map((c) => path.join(DATA_DIR, c.file)).filter((_, i) => i % shards! === shard);
const t0 = performance.now();
let done = 0;
for (const f of files) {
  if (cachedReadings(f)) continue;
  await readingsOf(f);
  done++;
  if (done % 25 === 0) console.log(`shard ${shard}: ${done} clips, ${((performance.now() - t0) / 1000 / done).toFixed(2)} s per clip`);
}
console.log(`shard ${shard}: ${done} clips computed in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
