/**
 * npm run check:music-real — does the committed song-emotion model get real game music right?
 *
 *   node --import tsx scripts/music-real-check.ts [--model path/to/model.json] [--no-cnn] [--write]
 *
 * The analysis is the app's: the handcrafted model ensembled with the song CNN
 * (models/music/cnn.json) when ONNX Runtime runs it; --no-cnn scores the handcrafted model alone.
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
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MUSIC_QUADRANTS, type MusicQuadrant } from '../shared/emotion.ts';
import { decodeWindow } from '../electron/engine/music/decode-window.ts';
import { extractFeatures, FEATURE_NAMES, FEATURE_VERSION } from '../electron/engine/music/features.ts';
import { DEFAULT_MODEL_PATH, emotionFromProbs, MusicModel } from '../electron/engine/music/model.ts';
import { ensembleProbs, SongCnn, songCnn, songCnnSkipReason } from '../electron/engine/music/song-cnn.ts';
import { CACHE_DIR, REPO } from './train-music.ts';
import { parseCsv } from '../electron/engine/read-csv.ts';

export const REAL_LABELS = path.join(REPO, 'models', 'music', 'real-check', 'labels.csv');
const ROOT = process.env.MUSIC_REAL_DIR ?? '/work/realmusic';

export interface RealTrack {
  pkg: string;
  /** Path inside the package; `archive.pk3!member` for files inside a zip archive. */
  inner: string;
  arousal: 'high' | 'low';
  quadrant: MusicQuadrant | null;
  reason: string;
}

export function readRealLabels(file = REAL_LABELS): RealTrack[] {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  if (!header) throw new Error('real-check labels.csv is empty');
  const at = (r: string[], name: string) => r[header.indexOf(name)] ?? '';
  return rows
    .filter((r) => r.length === header.length)
    .map((r) => {
      const arousal = at(r, 'arousal');
      const q = at(r, 'quadrant');
      if (arousal !== 'high' && arousal !== 'low') throw new Error(`bad arousal label ${arousal}`);
      if (q && !(MUSIC_QUADRANTS as readonly string[]).includes(q)) throw new Error(`bad quadrant ${q}`);
      return { pkg: at(r, 'package'), inner: at(r, 'path'), arousal, quadrant: (q || null) as MusicQuadrant | null, reason: at(r, 'reason') };
    });
}

function debFor(pkg: string): string {
  const debs = path.join(ROOT, 'debs');
  mkdirSync(debs, { recursive: true });
  const find = () => readdirSync(debs).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  let deb = find();
  if (!deb) {
    console.log(`fetching ${pkg} with apt-get download …`);
    execFileSync('apt-get', ['download', pkg], { cwd: debs, stdio: ['ignore', 'ignore', 'inherit'] });
    deb = find();
    if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb`);
  }
  return path.join(debs, deb);
}

/** The track's audio file on disk, extracted from its package on first use. */
export function trackFile(t: RealTrack): string {
  const [member, inArchive] = t.inner.split('!') as [string, string | undefined];
  const out = path.join(ROOT, 'tracks', t.pkg, inArchive ?? member);
  if (existsSync(out)) return out;
  const tree = path.join(ROOT, 'tree', t.pkg);
  const extracted = path.join(tree, member);
  if (!existsSync(extracted)) {
    mkdirSync(tree, { recursive: true });
    // Only the one member: the packages hold hundreds of MB of other game data.
    execFileSync('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" "./$3"', 'sh', debFor(t.pkg), tree, member]);
  }
  mkdirSync(path.dirname(out), { recursive: true });
  if (inArchive) writeFileSync(out, execFileSync('unzip', ['-p', extracted, inArchive], { maxBuffer: 512 * 1024 * 1024 }));
  else writeFileSync(out, readFileSync(extracted));
  return out;
}

/** Feature vectors of the real tracks, cached per feature layout (never used for fitting). */
export async function realFeatures(tracks: RealTrack[]): Promise<Float32Array[]> {
  const key = createHash('sha1').update(`v${FEATURE_VERSION}:`).update(FEATURE_NAMES.join(',')).update(tracks.map((t) => `${t.pkg}/${t.inner}`).join(',')).digest('hex').slice(0, 12);
  const cache = path.join(CACHE_DIR, `real-${key}.json`);
  if (existsSync(cache)) return (JSON.parse(readFileSync(cache, 'utf8')) as number[][]).map((r) => Float32Array.from(r));
  const X: Float32Array[] = [];
  for (const t of tracks) {
    const w = await decodeWindow(trackFile(t));
    X.push(extractFeatures(w.samples, w.sampleRate));
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(cache, JSON.stringify(X.map((r) => Array.from(r))));
  return X;
}

/** The song CNN's probabilities for the real tracks (decoded again: the CNN reads the samples). */
export async function realCnnProbs(tracks: RealTrack[], cnn: SongCnn): Promise<number[][]> {
  const out: number[][] = [];
  for (const t of tracks) {
    const w = await decodeWindow(trackFile(t));
    out.push(await cnn.probabilities(w.samples, w.sampleRate));
  }
  return out;
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
    const p = probs[i]!;
    const a = p[0]! + p[1]! - p[2]! - p[3]!;
    if ((a >= 0) === (t.arousal === 'high')) arousalRight++;
    if (t.quadrant) {
      quadrantLabelled++;
      const best = p.reduce((b, v, k) => (v > p[b]! ? k : b), 0);
      if (MUSIC_QUADRANTS[best] === t.quadrant) quadrantRight++;
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
  const hand = X.map((x) => model.probabilities(x));
  // The app's analysis: the handcrafted model ensembled with the song CNN where it runs (--no-cnn: alone).
  const cnn = process.argv.includes('--no-cnn') ? null : await songCnn();
  if (!cnn && !process.argv.includes('--no-cnn')) console.log(`song CNN not used: ${songCnnSkipReason()}`);
  const cnnProbs = cnn ? await realCnnProbs(tracks, cnn) : null;
  const probs = cnn && cnnProbs ? hand.map((h, j) => ensembleProbs(h, cnnProbs[j]!, cnn.file.weight, cnn.file.temperature)) : hand;
  const digest =
    createHash('sha256').update(readFileSync(modelPath)).digest('hex').slice(0, 16) +
    (cnn ? `+cnn:${createHash('sha256').update(readFileSync(path.join(path.dirname(modelPath), 'cnn.json'))).digest('hex').slice(0, 16)}` : '');
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
  if (cnn && cnnProbs) {
    const h = scoreReal(tracks, hand);
    const c = scoreReal(tracks, cnnProbs);
    out(`(handcrafted alone: ${h.arousalRight}/${h.n}, ${h.quadrantRight}/${h.quadrantLabelled}; CNN alone: ${c.arousalRight}/${c.n}, ${c.quadrantRight}/${c.quadrantLabelled}; ensemble weight ${cnn.file.weight}, T ${cnn.file.temperature})`);
  }
  if (process.argv.includes('--write')) {
    const file = path.join(path.dirname(REAL_LABELS), 'RESULTS.md');
    writeFileSync(file, `# Real-music check: last recorded run\n\nWritten by \`npm run check:music-real -- --write\` on ${new Date().toISOString().slice(0, 10)}.\n\n${lines.join('\n')}\n`);
    console.log(`wrote ${path.relative(REPO, file)}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await main();
}
