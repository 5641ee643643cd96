/**
 * Probe: the engine's memory through an export of every pair, as the app asks for it (the
 * engine lists portraits and songs, matches them again and writes the folder), sampled every
 * 50 ms, with the time of each phase.
 *   node --import tsx training/bench/probe-export.ts --catalog DIR --portraits DIR --music DIR [--copy-media] [--target DIR]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../electron/engine/engine.ts';
import { defaultSpec } from '../../shared/match.ts';
import { playlistItems } from '../../electron/engine/export/playlist-items.ts';
import { parseOptions } from './scale-stats.ts';

const { values, flags } = parseOptions(process.argv.slice(2), { values: ['catalog', 'portraits', 'music', 'target'], flags: ['copy-media'] });
const rssMB = (): number => Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;
let peak = 0;
const timer = setInterval(() => (peak = Math.max(peak, rssMB())), 50);
const mark = (what: string, t0: number) => {
  peak = Math.max(peak, rssMB());
  // With --expose-gc the heap figure is what is still held, not what awaits collection.
  (globalThis as { gc?: () => void }).gc?.();
  const heap = process.memoryUsage();
  console.log(`${what}: ${((performance.now() - t0) / 1000).toFixed(2)} s; RSS ${Math.round(rssMB())} MB (peak so far ${Math.round(peak)}), heap ${Math.round(heap.heapUsed / 1e6)} MB, external ${Math.round(heap.external / 1e6)} MB`);
};
const t0 = performance.now();
const engine = new Engine({ dataDir: values.get('catalog')!, analysisWorkers: 0 });
mark('engine open', t0);
const target = values.get('target') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'probe-export-'));
try {
  const folders = { portraitFolder: path.resolve(values.get('portraits')!), musicFolder: path.resolve(values.get('music')!) };
  // The export's first steps one by one, then the whole export as the app runs it.
  let t = performance.now();
  const portraits = await engine.listPortraits({ folder: folders.portraitFolder });
  mark(`list ${portraits.length} portraits`, t);
  t = performance.now();
  const songs = await engine.listSongs({ folder: folders.musicFolder });
  mark(`list ${songs.length} songs`, t);
  t = performance.now();
  const items = playlistItems(portraits, songs, defaultSpec());
  mark(`match (${items.length} items)`, t);
  const t1 = performance.now();
  const out = await engine.exportPlaylist({ ...folders, spec: defaultSpec(), copyMedia: flags.has('copy-media'), overwrite: true, target });
  mark(`export (${out.status}${out.status === 'written' ? `, ${out.pairs} pairs` : ''})`, t1);
} finally {
  clearInterval(timer);
  if (!values.has("target")) fs.rmSync(target, { recursive: true, force: true });
  engine.close();
}
