/**
 * node --import tsx training/bench/music-bench-cost.ts — CPU milliseconds per song of each analysis
 * stage (decode, handcrafted features where the model reads them, the musicnn front end, each
 * network, the model), in one thread, on the library's tracks. Stages alternate track by track, so
 * a busy shared machine slows them alike and their ratios stay meaningful where the wall-clock
 * songs/s of `npm run bench:music` do not. Prints figures; asserts nothing.
 */
import path from 'node:path';
import { decodeWindow, TARGET_RATE } from '../../electron/engine/music/decode-window.ts';
import { extractFeatures } from '../../electron/engine/music/features.ts';
import { defaultMusicModel } from '../../electron/engine/music/model.ts';
import { isAudioFile } from '../../electron/engine/music/index-music-folder.ts';
import { melPatches, musicnnMel, tilingStarts } from '../../electron/engine/music/musicnn-frontend.ts';
import { Musicnn, MUSICNN_NETS } from '../../electron/engine/music/musicnn.ts';
import { songEmotion } from '../../electron/engine/music/song-emotion.ts';
import { walkFiles } from '../../electron/engine/scan/walk-files.ts';
import { MUSIC_DATA } from '../paths.ts';

const LIBRARY = path.join(MUSIC_DATA, 'library');
const { files } = await walkFiles([LIBRARY], isAudioFile);
const model = defaultMusicModel();
const nn = await Musicnn.load(MUSICNN_NETS);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const total: Record<string, number> = { decode: 0, features: 0, frontEnd: 0, mtt: 0, msd: 0, songEmotion: 0 };
let n = 0;
let patches = 0;
for (const file of files) {
  let t = cpu();
  let w;
  try {
    w = await decodeWindow(file, { windowSeconds: model.file.window.seconds, targetRate: model.file.window.sampleRate });
  } catch {
    continue;
  }
  total.decode! += cpu() - t;
  if (w.samples.length < TARGET_RATE) continue;
  t = cpu();
  extractFeatures(w.samples, w.sampleRate);
  total.features! += cpu() - t;
  t = cpu();
  const mel = musicnnMel(w.samples, w.sampleRate);
  const starts = tilingStarts(mel.frames);
  const batch = melPatches(mel, starts);
  total.frontEnd! += cpu() - t;
  for (const net of MUSICNN_NETS) {
    t = cpu();
    await nn.read(net, batch, starts.length);
    total[net]! += cpu() - t;
  }
  t = cpu();
  await songEmotion(w.samples, w.sampleRate, model, w.startSeconds);
  total.songEmotion! += cpu() - t;
  patches += starts.length;
  n++;
}
const per = (v: number) => (v / n).toFixed(1);
console.log(`${n} library tracks (${(patches / n).toFixed(1)} patches each), CPU ms per song in one thread:`);
console.log(`  decode ${per(total.decode!)}, handcrafted features ${per(total.features!)}, musicnn front end ${per(total.frontEnd!)}, MTT net ${per(total.mtt!)}, MSD net ${per(total.msd!)}`);
const app = total.decode! + total.songEmotion!;
console.log(
  `  the shipped model (reads ${[model.readsHandcrafted ? 'handcrafted features' : '', ...model.musicnnNets].filter(Boolean).join(' + ')}): decode + songEmotion ${per(app)} ms → ${((1000 * n) / app).toFixed(2)} songs/s per core of pure analysis (no tags, covers or catalog)`,
);
