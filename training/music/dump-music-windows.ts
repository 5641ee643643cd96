/**
 * Writes what training/music/probes/music-melody-probe.py reads: each 4Q clip's analysis window as the app
 * decodes it (decode-window.ts: mono, 22050 Hz, ≤ 30 s) and the app's whole-window features,
 * labels and artist groups. A measurement aid; nothing here is shipped or trained into a model.
 *
 *   node --import tsx training/music/dump-music-windows.ts [outDir]      (default /tmp/music-windows)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeWindow, TARGET_RATE } from '../../electron/engine/music/decode-window.ts';
import { BASE_FEATURE_COUNT, BASE_FEATURE_NAMES } from '../../electron/engine/music/features.ts';
import { DATA_DIR, loadHandcrafted } from './train-music.ts';

const outDir = process.argv[2] ?? '/tmp/music-windows';
mkdirSync(outDir, { recursive: true });
const data = await loadHandcrafted();
for (const [i, clip] of data.clips.entries()) {
  const w = await decodeWindow(path.join(DATA_DIR, clip.file));
  if (w.sampleRate !== TARGET_RATE) throw new Error(`${clip.file}: decoded at ${w.sampleRate} Hz`);
  writeFileSync(path.join(outDir, `${i}.f32`), new Uint8Array(w.samples.buffer, w.samples.byteOffset, w.samples.byteLength));
}
writeFileSync(
  path.join(outDir, 'features.json'),
  JSON.stringify({ sampleRate: TARGET_RATE, names: BASE_FEATURE_NAMES, X: data.X.map((x) => Array.from(x.subarray(0, BASE_FEATURE_COUNT))), y: data.y, groups: data.clips.map((c) => c.group) }),
);
console.log(`wrote ${data.clips.length} windows and their features to ${outDir}`);
