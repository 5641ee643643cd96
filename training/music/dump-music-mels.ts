/**
 * Writes the 4Q clips' log-mel spectrograms for the CNN training (training/music/train-music-cnn.py),
 * computed by the app's own code (decode-window.ts + log-mel.ts), so training and inference
 * read identical numbers.
 *
 *   node --import tsx training/music/dump-music-mels.ts [outDir]      (default /tmp/music-mels)
 *
 * outDir/mels.f32: every clip's frames × MEL_BANDS float32, one clip after the other;
 * outDir/meta.json: per clip its label, artist group, offset and frame count, and the log-mel settings.
 * Nothing here reads the real-check tracks.
 */
import { mkdirSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MUSIC_QUADRANTS } from '../../shared/emotion.ts';
import { decodeWindow } from '../../electron/engine/music/decode-window.ts';
import { LOG_MEL_VERSION, MEL_BANDS, MEL_FFT, MEL_HOP, PATCH_FRAMES, PATCH_HOP, logMel } from '../../electron/engine/music/log-mel.ts';
import { DATA_DIR, readLabels } from './train-music.ts';

const outDir = process.argv[2] ?? '/tmp/music-mels';
mkdirSync(outDir, { recursive: true });
const clips = readLabels();
const fd = openSync(path.join(outDir, 'mels.f32'), 'w');
const meta: { file: string; y: number; group: string; offset: number; frames: number }[] = [];
let offset = 0;
const t0 = performance.now();
for (const [i, clip] of clips.entries()) {
  const w = await decodeWindow(path.join(DATA_DIR, clip.file));
  const mel = logMel(w.samples, w.sampleRate);
  writeSync(fd, new Uint8Array(mel.data.buffer, mel.data.byteOffset, mel.data.byteLength));
  meta.push({ file: clip.file, y: MUSIC_QUADRANTS.indexOf(clip.quadrant), group: clip.group, offset, frames: mel.frames });
  offset += mel.data.length;
  if ((i + 1) % 50 === 0) console.log(`log-mel: ${i + 1}/${clips.length} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}
closeSync(fd);
writeFileSync(
  path.join(outDir, 'meta.json'),
  JSON.stringify({ logMelVersion: LOG_MEL_VERSION, bands: MEL_BANDS, fft: MEL_FFT, hop: MEL_HOP, patchFrames: PATCH_FRAMES, patchHop: PATCH_HOP, clips: meta }),
);
console.log(`wrote ${clips.length} clips (${offset / MEL_BANDS} frames) to ${outDir} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
