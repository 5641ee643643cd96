/**
 * The musicnn readings of training and check files, through the app's own path (decode-window.ts's
 * window, musicnn-frontend.ts, ONNX Runtime), cached per file under .cache/music/musicnn/ so that
 * several processes can fill the cache at once (`dump-musicnn.ts --shard i/n`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeWindow } from '../../../electron/engine/music/decode-window.ts';
import { Musicnn, MUSICNN_NETS, readManifest, type MusicnnNet } from '../../../electron/engine/music/musicnn.ts';
import { MUSICNN_RATE } from '../../../electron/engine/music/musicnn-frontend.ts';
import { MUSICNN_WIDTH, readSong, type SongReadings } from '../../../electron/engine/music/song-readings.ts';
import { CACHE_DIR } from '../music-paths.ts';

const DIR = path.join(CACHE_DIR, 'musicnn');
let key: string | null = null;
/** Read once per process: every file's cache name carries it. */
const version = () => {
  if (key) return key;
  const m = readManifest();
  // 16k: the window is decoded straight to the networks' rate, as the app does.
  key = `16k:${netsToRun().join('+')}:${MUSICNN_NETS.map((n) => m.models[n].sha256.slice(0, 8)).join('-')}`;
  return key;
};

function cacheFile(file: string): string {
  return path.join(DIR, `${createHash('sha1').update(`${version()}:${path.resolve(file)}`).digest('hex').slice(0, 20)}.json`);
}

export function cachedReadings(file: string): SongReadings | null {
  const f = cacheFile(file);
  if (!existsSync(f)) return null;
  const c = JSON.parse(readFileSync(f, 'utf8')) as { starts: number[]; rows: number[][] };
  return { starts: c.starts, rows: c.rows.map((r) => Float32Array.from(r)) };
}

let nn: Promise<Musicnn> | null = null;

function netsToRun(): MusicnnNet[] {
  const nets = (process.env.MUSICNN_NETS ?? 'msd').split(',');
  if (!nets.every((n) => (MUSICNN_NETS as readonly string[]).includes(n))) throw new Error(`MUSICNN_NETS: one or more of ${MUSICNN_NETS.join(', ')}`);
  return nets as MusicnnNet[];
}

/**
 * The readings of one file's analysis window, from the cache or computed (and cached). Only the
 * MSD network runs (the shipped heads read nothing else; MUSICNN_NETS=mtt,msd runs both): the
 * other net's columns stay 0.
 */
export async function readingsOf(file: string): Promise<SongReadings> {
  const hit = cachedReadings(file);
  if (hit) return hit;
  nn ??= Musicnn.load(netsToRun());
  const w = await decodeWindow(file, { targetRate: MUSICNN_RATE });
  const r = await readSong(w.samples, w.sampleRate, await nn);
  if (r.rows.some((row) => row.length !== MUSICNN_WIDTH)) throw new Error('bad musicnn row');
  mkdirSync(DIR, { recursive: true });
  const f = cacheFile(file);
  const tmp = `${f}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ file: path.resolve(file), starts: r.starts, rows: r.rows.map((row) => Array.from(row, (v) => Math.round(v * 1e6) / 1e6)) }));
  renameSync(tmp, f);
  return r;
}
