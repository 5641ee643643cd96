/**
 * npm run check:music-real — does the committed song-emotion model get real game music right?
 *
 *   node --import tsx training/music/music-real-check.ts [--model path/to/model.json] [--write]
 *
 * The analysis is the app's (song-emotion.ts on the app's window): the model reads whatever it was
 * trained on, handcrafted features and/or the musicnn networks.
 *
 * --write also saves the table to models/music/real-check/RESULTS.md (with the model's id).
 *
 * The tracks and their labels are in models/music/real-check/labels.csv, written from titles
 * and folder names before any model heard them (README there). Missing packages are fetched
 * with `apt-get download` into $MUSIC_REAL_DIR (default /work/realmusic, outside the
 * repository) and only the listed files are extracted. Nothing is trained or tuned here:
 * it prints, per track and in total, whether the arousal sign and the quadrant agree.
 * A measurement, not a test (it needs the network once and a Debian apt).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MUSIC_QUADRANTS, type MusicQuadrant } from '../../shared/emotion.ts';
import { decodeWindow } from '../../electron/engine/music/decode-window.ts';
import { DEFAULT_MODEL_PATH, emotionFromProbs, MusicModel } from '../../electron/engine/music/model.ts';
import { songEmotion } from '../../electron/engine/music/song-emotion.ts';
import { REPO } from './music-paths.ts';
import { csvRecords } from '../common/read-csv.ts';
import { trackFeatures, trackFile, type DebTrack } from './debian-tracks.ts';

export const REAL_LABELS = path.join(REPO, 'models', 'music', 'real-check', 'labels.csv');

export interface RealTrack extends DebTrack {
  arousal: 'high' | 'low';
  quadrant: MusicQuadrant | null;
  reason: string;
}

export function readRealLabels(file = REAL_LABELS): RealTrack[] {
  return csvRecords(readFileSync(file, 'utf8'), 'real-check labels.csv').map((at) => {
    const arousal = at('arousal');
    const q = at('quadrant');
    if (arousal !== 'high' && arousal !== 'low') throw new Error(`bad arousal label ${arousal}`);
    if (q && !(MUSIC_QUADRANTS as readonly string[]).includes(q)) throw new Error(`bad quadrant ${q}`);
    return { pkg: at('package'), inner: at('path'), arousal, quadrant: (q || null) as MusicQuadrant | null, reason: at('reason') };
  });
}

/** Feature vectors of the real tracks, cached per feature layout (never used for fitting). */
export function realFeatures(tracks: RealTrack[]): Promise<Float32Array[]> {
  return trackFeatures(tracks, 'real');
}

export interface RealScore {
  arousalRight: number;
  quadrantRight: number;
  quadrantLabelled: number;
  n: number;
}

export function scoreReal(tracks: RealTrack[], probs: number[][]): RealScore {
  let arousalRight = 0;
  let quadrantRight = 0;
  let quadrantLabelled = 0;
  tracks.forEach((t, i) => {
    // The reading the app shows: its plane point, which always lies in the quadrant shown (the raw
    // expectation of the signs can fall just across the axis from it).
    const e = emotionFromProbs(probs[i]!);
    if ((e.arousal >= 0) === (t.arousal === 'high')) arousalRight++;
    if (t.quadrant) {
      quadrantLabelled++;
      if (e.quadrant === t.quadrant) quadrantRight++;
    }
  });
  return { arousalRight, quadrantRight, quadrantLabelled, n: tracks.length };
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--model');
  const modelPath = i > 0 ? path.resolve(process.argv[i + 1]!) : DEFAULT_MODEL_PATH;
  const model = MusicModel.load(modelPath);
  const tracks = readRealLabels();
  const X = await realFeatures(tracks);
  const probs: number[][] = [];
  for (const [j, t] of tracks.entries()) {
    // Models on handcrafted features alone reuse the cached features; any other is run as the app runs it.
    if (!model.musicnnNets.length) probs.push(model.probabilities(X[j]!));
    else {
      const w = await decodeWindow(trackFile(t), { windowSeconds: model.file.window.seconds, targetRate: model.file.window.sampleRate });
      const e = await songEmotion(w.samples, w.sampleRate, model, w.startSeconds);
      probs.push(MUSIC_QUADRANTS.map((q) => e.probs[q]));
    }
  }
  const digest = createHash('sha256').update(readFileSync(modelPath)).digest('hex').slice(0, 16) + (model.musicnnNets.length ? `+musicnn:${model.musicnnNets.join('-')}` : '');
  const lines: string[] = [];
  const out = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  out(`model ${path.relative(REPO, modelPath)} (music-model:${digest}) on ${tracks.length} real tracks labelled by title (models/music/real-check/labels.csv)\n`);
  out('| track | label | predicted | arousal | valence | arousal sign | quadrant |');
  out('|---|---|---|---|---|---|---|');
  tracks.forEach((t, j) => {
    const e = emotionFromProbs(probs[j]!);
    const aOk = (e.arousal >= 0) === (t.arousal === 'high');
    const qOk = t.quadrant ? (e.quadrant === t.quadrant ? 'yes' : 'no') : '–';
    const name = `${t.pkg}/${path.basename(t.inner.split('!').at(-1)!)}`;
    out(`| ${name} | ${t.arousal}${t.quadrant ? ` ${t.quadrant}` : ''} | ${e.quadrant} (${(100 * e.probs[e.quadrant]).toFixed(0)} %) | ${e.arousal.toFixed(2)} | ${e.valence.toFixed(2)} | ${aOk ? 'yes' : 'NO'} | ${qOk} |`);
  });
  const s = scoreReal(tracks, probs);
  out(`\narousal sign right: ${s.arousalRight}/${s.n}; quadrant right: ${s.quadrantRight}/${s.quadrantLabelled} (tracks with a quadrant label)`);
  if (process.argv.includes('--write')) {
    const file = path.join(path.dirname(REAL_LABELS), 'RESULTS.md');
    writeFileSync(file, `# Real-music check: last recorded run\n\nWritten by \`npm run check:music-real -- --write\` on ${new Date().toISOString().slice(0, 10)}.\n\n${lines.join('\n')}\n`);
    console.log(`wrote ${path.relative(REPO, file)}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await main();
}
