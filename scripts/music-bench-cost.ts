/**
 * node --import tsx scripts/music-bench-cost.ts — CPU milliseconds per song of each analysis
 * stage (decode, loudness normalisation, features, model), in one thread, on the library's
 * tracks. Stages alternate track by track, so a busy shared machine slows them alike and
 * their ratios stay meaningful where the wall-clock songs/s of `npm run bench:music` do not.
 * Prints figures; asserts nothing.
 */
import path from 'node:path';
import { decodeWindow, TARGET_RATE } from '../electron/engine/music/decode-window.ts';
import { extractFeatures } from '../electron/engine/music/features.ts';
import { normaliseLoudness } from '../electron/engine/music/loudness.ts';
import { defaultMusicModel } from '../electron/engine/music/model.ts';
import { isAudioFile } from '../electron/engine/music/index-music-folder.ts';
import { walkFiles } from '../electron/engine/scan/walk-files.ts';

const LIBRARY = path.resolve(import.meta.dirname, '../../shared/data/music/library');
const { files } = await walkFiles([LIBRARY], isAudioFile);
const model = defaultMusicModel();
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const total = { decode: 0, loudness: 0, features: 0, model: 0 };
let n = 0;
for (const file of files) {
  let t = cpu();
  let w;
  try {
    w = await decodeWindow(file, { windowSeconds: model.file.window.seconds, targetRate: model.file.window.sampleRate });
  } catch {
    continue;
  }
  total.decode += cpu() - t;
  if (w.samples.length < TARGET_RATE) continue;
  t = cpu();
  normaliseLoudness(w.samples, w.sampleRate);
  total.loudness += cpu() - t;
  t = cpu();
  const f = extractFeatures(w.samples, w.sampleRate); // includes its own normalisation
  total.features += cpu() - t;
  t = cpu();
  model.predict(f);
  total.model += cpu() - t;
  n++;
}
const per = (v: number) => (v / n).toFixed(1);
console.log(`${n} library tracks, CPU ms per song: decode ${per(total.decode)}, loudness normalisation ${per(total.loudness)} (inside features), features ${per(total.features)}, model ${per(total.model)}`);
const sum = total.decode + total.features + total.model;
console.log(`  total ${per(sum)} ms → ${((1000 * n) / sum).toFixed(2)} songs/s per core of pure analysis (no tags, covers or catalog)`);
