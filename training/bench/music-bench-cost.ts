/**
 * node --import tsx training/bench/music-bench-cost.ts — CPU milliseconds per song of each analysis
 * stage (decode, loudness normalisation, features, model, and the song CNN's log-mel + network
 * where it runs), in one thread, on the library's
 * tracks. Stages alternate track by track, so a busy shared machine slows them alike and
 * their ratios stay meaningful where the wall-clock songs/s of `npm run bench:music` do not.
 * Prints figures; asserts nothing.
 */
import path from 'node:path';
import { decodeWindow, TARGET_RATE } from '../../electron/engine/music/decode-window.ts';
import { extractFeatures } from '../../electron/engine/music/features.ts';
import { normaliseLoudness } from '../../electron/engine/music/loudness.ts';
import { defaultMusicModel } from '../../electron/engine/music/model.ts';
import { isAudioFile } from '../../electron/engine/music/index-music-folder.ts';
import { walkFiles } from '../../electron/engine/scan/walk-files.ts';
import { logMel, patchBatch, patchStarts } from '../../electron/engine/music/log-mel.ts';
import { songCnn } from '../../electron/engine/music/song-cnn.ts';
import { MUSIC_DATA } from '../paths.ts';

const LIBRARY = path.join(MUSIC_DATA, 'library');
const { files } = await walkFiles([LIBRARY], isAudioFile);
const model = defaultMusicModel();
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const cnn = await songCnn();
const total = { decode: 0, loudness: 0, features: 0, model: 0, logMel: 0, cnn: 0 };
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
  const normalised = normaliseLoudness(w.samples, w.sampleRate);
  total.loudness += cpu() - t;
  t = cpu();
  const f = extractFeatures(w.samples, w.sampleRate); // includes its own normalisation
  total.features += cpu() - t;
  t = cpu();
  model.predict(f);
  total.model += cpu() - t;
  if (cnn) {
    t = cpu();
    const mel = logMel(normalised, w.sampleRate, { normalised: true }); // the app normalises once for both models
    total.logMel += cpu() - t;
    t = cpu();
    const starts = patchStarts(mel.frames);
    await cnn.logits(patchBatch(mel, starts), starts.length);
    total.cnn += cpu() - t;
  }
  n++;
}
const per = (v: number) => (v / n).toFixed(1);
console.log(`${n} library tracks, CPU ms per song: decode ${per(total.decode)}, loudness normalisation ${per(total.loudness)} (inside features), features ${per(total.features)}, model ${per(total.model)}`);
const sum = total.decode + total.features + total.model;
console.log(`  total ${per(sum)} ms → ${((1000 * n) / sum).toFixed(2)} songs/s per core of pure analysis (no tags, covers or catalog)`);
if (cnn) {
  const withCnn = sum + total.logMel + total.cnn;
  console.log(`  song CNN: log-mel ${per(total.logMel)}, network ${per(total.cnn)} → with it ${per(withCnn)} ms, ${((1000 * n) / withCnn).toFixed(2)} songs/s per core (+${((100 * (withCnn - sum)) / sum).toFixed(0)} %)`);
} else {
  console.log('  song CNN: not running here (see song-cnn.ts)');
}
