/**
 * Exploration of extra detector passes for the `art` preset on ONNX Runtime (issue 12: spend
 * some of the time saved on faces the default misses), quicker than the bench: every pass of a
 * catalogue runs once per image (floor 0.1), its candidates and CPU time are cached, and staged
 * configurations are scored by replaying the cached outputs through mergeCandidates as
 * detectFacesOnArt runs them (a later look runs only when the earlier looks' merge found no
 * face; maxFaceFraction applied as runArtPass applies it).
 *
 *   nice -n 5 node --import tsx training/faces/probes/explore-art-passes.ts --passes ID,ID…   (fill the cache)
 *   nice -n 5 node --import tsx training/faces/probes/explore-art-passes.ts [--extras ID,ID…] (each extra pass
 *       alone as look 3 at several thresholds)
 *   nice -n 5 node --import tsx training/faces/probes/explore-art-passes.ts --config 'ID@ACCEPT[:SUPPORT][~MAXFRAC]+ID@…/ID@…' [--config …] [--show]
 *       ('/' between looks after the default's looks 1–2, '+' between passes of one look;
 *        e.g. 'ssd-grey-clahe@0.45:~0.8+ssd-grey-clahe-mirror@0.45:~0.8/ssd-clahe-tiles2@0.45:~0.8'
 *        is today's ART_DETECT_DEFAULT; --show lists the images gained and lost)
 *
 * Rows: BEFORE = looks 1–2 (the default before looks 3–4, today's FAST), DEFAULT = today's
 * ART_DETECT_DEFAULT, then the configurations; "gained / lost" = images whose count turns right /
 * wrong against BEFORE. CPU ms/img = detector passes only, per set.
 * Sets: the 60 demo portraits, the dev set (shared/data/portraits/dev: 95 with faces, 24
 * without; the tuning set, not a held-out one) and the generated face-free set. On the demo set
 * only looks 1–2 run on every image; other passes run only where the CLAHE pass finds nothing
 * (the only images a later look can reach). Cache: $TMPDIR/portrait-songs-explore-art/cache-v1.json
 * (delete it when a pass changes).
 */
import fs from 'node:fs';
import sharp from 'sharp';
import os from 'node:os';
import path from 'node:path';
import { decodeImage } from '../../../electron/engine/decode/image.ts';
import { ANALYSIS_MAX_SIDE } from '../../../electron/engine/analyse/analyse-portrait.ts';
import { runArtPass, VariantCache, type ArtPass, type Candidate } from '../../../electron/engine/faces/art-passes.ts';
import { ART_DETECT_DEFAULT, mergeOptionsOf, type ArtDetectOptions } from '../../../electron/engine/faces/detect-art.ts';
import { writeFaceFreeSet } from '../face-free-set.ts';
import { mergeCandidates } from '../../../electron/engine/faces/merge-candidates.ts';
import { countRight, readDevManifest, type DevExpected } from '../dev-set.ts';
import { chooseFaceRuntime } from '../../../electron/engine/ml/onnx-runtime.ts';
import { SHARED_DATA } from '../../paths.ts';

const args = process.argv.slice(2);
const value = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const DATA = path.join(SHARED_DATA, 'portraits');
const WORK = path.join(os.tmpdir(), 'portrait-songs-explore-art');
const CACHE_FILE = path.join(WORK, 'cache-v1.json');

const F = 0.1;
const CATALOGUE: ArtPass[] = [
  { id: 'ssd-clahe', detector: 'ssd', preprocess: 'clahe', floor: F },
  { id: 'ssd-mirror', detector: 'ssd', preprocess: 'none', mirror: true, floor: F },
  { id: 'ssd', detector: 'ssd', preprocess: 'none', floor: F },
  { id: 'ssd-grey-clahe', detector: 'ssd', preprocess: 'grey-clahe', floor: F },
  { id: 'ssd-grey', detector: 'ssd', preprocess: 'grey', floor: F },
  { id: 'ssd-clahe-mirror', detector: 'ssd', preprocess: 'clahe', mirror: true, floor: F },
  { id: 'ssd-grey-clahe-mirror', detector: 'ssd', preprocess: 'grey-clahe', mirror: true, floor: F },
  { id: 'ssd-normalise', detector: 'ssd', preprocess: 'normalise', floor: F },
  { id: 'ssd-brighten', detector: 'ssd', preprocess: 'brighten', floor: F },
  { id: 'tiny', detector: 'tiny', preprocess: 'none', inputSize: 416, floor: F },
  { id: 'tiny-clahe', detector: 'tiny', preprocess: 'clahe', inputSize: 416, floor: F },
  { id: 'tiny-grey-clahe', detector: 'tiny', preprocess: 'grey-clahe', inputSize: 416, floor: F },
  { id: 'ssd-clahe-tiles2', detector: 'ssd', preprocess: 'clahe', tiles: 2, tileFraction: 0.6, floor: F },
  { id: 'ssd-tiles2', detector: 'ssd', preprocess: 'none', tiles: 2, tileFraction: 0.6, floor: F },
  { id: 'ssd-clahe-tiles3', detector: 'ssd', preprocess: 'clahe', tiles: 3, tileFraction: 0.45, floor: F },
];

type Want = DevExpected;
interface Img { set: string; file: string; key: string; want: Want; short?: number }
interface PassRecord { cpuMs: number; cands: { box: [number, number, number, number]; score: number }[] }
type Cache = Record<string, Record<string, PassRecord>>;

function manifest(set: 'demo' | 'dev'): Img[] {
  // The demo manifest has the same file and kind columns (without no-face rows).
  const dir = path.join(DATA, set);
  return [...readDevManifest(dir)].map(([file, want]) => ({ set, file: path.join(dir, file), key: `${set}/${file}`, want }));
}

const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

async function fill(images: Img[], passes: ArtPass[], cache: Cache): Promise<void> {
  const stage1 = mergeOptionsOf({ ...ART_DETECT_DEFAULT, passes: ART_DETECT_DEFAULT.passes.filter((p) => (p.look ?? 1) === 1) });
  let done = 0;
  let lastSave = Date.now();
  for (const img of images) {
    const entry = (cache[img.key] ??= {});
    const needed = passes.filter((p) => {
      if (entry[p.id]) return false;
      if (img.set !== 'demo' || p.id === 'ssd-clahe' || p.id === 'ssd-mirror') return true;
      // Demo: extras only where the CLAHE pass found nothing (needs ssd-clahe first).
      const c = entry['ssd-clahe'];
      return !!c && mergeCandidates(c.cands.map((x) => ({ ...x, pass: 'ssd-clahe' })), stage1).length === 0;
    });
    if (needed.length) {
      const { image } = await decodeImage(img.file, ANALYSIS_MAX_SIDE);
      const variants = new VariantCache(image);
      for (const p of needed) {
        const c0 = cpu();
        const cands = await runArtPass(variants, p);
        entry[p.id] = { cpuMs: cpu() - c0, cands: cands.map((c) => ({ box: c.box, score: c.score })) };
      }
      if (Date.now() - lastSave > 20_000) { fs.writeFileSync(CACHE_FILE, JSON.stringify(cache)); lastSave = Date.now(); }
    }
    done++;
    process.stderr.write(`\r${passes.map((p) => p.id).join(',').slice(0, 60)}: ${done}/${images.length} `);
  }
  fs.writeFileSync(CACHE_FILE, JSON.stringify(cache));
  process.stderr.write('\n');
}

/** detectFacesOnArt's staging replayed on cached passes: faces found and CPU ms of the passes run. */
function replay(entry: Record<string, PassRecord>, o: ArtDetectOptions, stages: string[][], short = 0): { n: number; ms: number; missing: string | null } {
  const merge = mergeOptionsOf(o);
  const cands: Candidate[] = [];
  let ms = 0;
  let n = 0;
  for (const stage of stages) {
    for (const id of stage) {
      const r = entry[id];
      if (!r) return { n, ms, missing: id };
      ms += r.cpuMs;
      // maxFaceFraction as runArtPass applies it: the longer box side against the view's shorter side.
      const pass = o.passes.find((p) => p.id === id);
      const view = pass?.tiles && pass.tiles >= 2 ? Math.round(short * (pass.tileFraction ?? 0.6)) : short;
      const max = pass?.maxFaceFraction ? pass.maxFaceFraction * view : Infinity;
      cands.push(...r.cands.filter((c) => Math.max(c.box[2], c.box[3]) <= max).map((c) => ({ box: c.box, score: c.score, pass: id })));
    }
    n = mergeCandidates(cands, merge).length;
    if (n > 0) break;
  }
  return { n, ms, missing: null };
}

const right = countRight;

interface Scored { demoFound: number; demoRight: number; devFound: number; devRight: number; devFalse: number; freeFalse: number; ms: Record<string, number>; per: Map<string, number> }

function scoreConfig(images: Img[], cache: Cache, o: ArtDetectOptions, stages: string[][]): Scored {
  const s: Scored = { demoFound: 0, demoRight: 0, devFound: 0, devRight: 0, devFalse: 0, freeFalse: 0, ms: {}, per: new Map() };
  const count: Record<string, number> = {};
  for (const img of images) {
    const r = replay(cache[img.key] ?? {}, o, stages, img.short);
    if (r.missing) throw new Error(`${img.key}: pass ${r.missing} not cached`);
    s.per.set(img.key, r.n);
    s.ms[img.set] = (s.ms[img.set] ?? 0) + r.ms;
    count[img.set] = (count[img.set] ?? 0) + 1;
    if (img.set === 'demo') { if (r.n > 0) s.demoFound++; if (right(img.want, r.n)) s.demoRight++; }
    else if (img.set === 'dev') {
      if (img.want === 0) { if (r.n > 0) s.devFalse++; } else { if (r.n > 0) s.devFound++; if (right(img.want, r.n)) s.devRight++; }
    } else if (r.n > 0) s.freeFalse++;
  }
  for (const k of Object.keys(s.ms)) s.ms[k] = s.ms[k]! / count[k]!;
  return s;
}

/** Configurations: the default's options with extra passes; stages as detectFacesOnArt runs them. */
function configs(): { name: string; o: ArtDetectOptions; stages: string[][] }[] {
  // BEFORE: the default of issue 12's start (looks 1–2: CLAHE, then the mirror); the comparison baseline.
  const base: ArtDetectOptions = { ...ART_DETECT_DEFAULT, passes: ART_DETECT_DEFAULT.passes.filter((p) => (p.look ?? 1) <= 2) };
  const looks = [...new Set(ART_DETECT_DEFAULT.passes.map((p) => p.look ?? 1))].sort((a, b) => a - b);
  const list: { name: string; o: ArtDetectOptions; stages: string[][] }[] = [
    { name: 'BEFORE', o: base, stages: [['ssd-clahe'], ['ssd-mirror']] },
    { name: 'DEFAULT', o: ART_DETECT_DEFAULT, stages: looks.map((l) => ART_DETECT_DEFAULT.passes.filter((p) => (p.look ?? 1) === l).map((p) => p.id)) },
  ];
  const extra = (name: string, passes: ArtDetectOptions['passes'], stage3: boolean, over: Partial<ArtDetectOptions> = {}): void => {
    const o: ArtDetectOptions = { ...base, ...over, passes: [...base.passes, ...passes] };
    const ids = passes.map((p) => p.id);
    list.push({ name, o, stages: stage3 ? [['ssd-clahe'], ['ssd-mirror'], ids] : [['ssd-clahe'], ['ssd-mirror', ...ids]] });
  };
  const cat = new Map(CATALOGUE.map((p) => [p.id, p]));
  const P = (id: string, accept: number, support = accept) => ({ ...cat.get(id)!, accept, support, look: 3 });
  // --config "id@accept[:support]+id@…/id@…": extra stages after the default's ('/' between
  // stages, '+' between passes of one stage); several --config flags score several rules.
  args.forEach((a, i) => {
    if (a !== '--config' || !args[i + 1]) return;
    const spec = args[i + 1]!;
    const stages = spec.split('/').map((st) => st.split('+').map((t) => {
      const [id, th] = t.split('@');
      const [acc, rest] = th!.split(':');
      const [sup, max] = (rest ?? acc!).split('~');
      if (!cat.has(id!)) throw new Error(`unknown pass ${id}`);
      return { ...P(id!, Number(acc), Number(sup || acc)), ...(max ? { maxFaceFraction: Number(max) } : {}) };
    }));
    const o: ArtDetectOptions = { ...base, passes: [...base.passes, ...stages.flat()] };
    list.push({ name: spec, o, stages: [['ssd-clahe'], ['ssd-mirror'], ...stages.map((st) => st.map((p) => p.id))] });
  });
  if (args.includes('--config')) return list;
  const extras = value('--extras', '');
  for (const id of CATALOGUE.map((p) => p.id).filter((id) => id !== 'ssd-clahe' && id !== 'ssd-mirror')) {
    if (extras && !extras.split(',').includes(id)) continue;
    const ts = id.startsWith('tiny') ? [0.7, 0.6, 0.5] : [0.5, 0.45, 0.4, 0.35, 0.3];
    for (const t of ts) extra(`+ ${id} @${t} (stage 3)`, [P(id, t)], true);
  }
  return list;
}

async function main(): Promise<void> {
  fs.mkdirSync(WORK, { recursive: true });
  const runtime = await chooseFaceRuntime();
  if (runtime.name !== 'onnx') throw new Error(`ONNX Runtime did not load (${runtime.skipped}); this script measures the ONNX path`);
  const sets = value('--sets', 'demo,dev,free').split(',');
  const images: Img[] = [];
  if (sets.includes('demo')) images.push(...manifest('demo'));
  if (sets.includes('dev')) images.push(...manifest('dev'));
  if (sets.includes('free')) {
    const files = await writeFaceFreeSet(path.join(DATA, 'demo'), path.join(WORK, 'face-free'));
    images.push(...files.map((f) => ({ set: 'free', file: f, key: `free/${path.basename(f)}`, want: 0 as Want })));
  }
  for (const img of images) {
    const { width = 0, height = 0 } = await sharp(img.file).metadata();
    const scale = Math.min(1, ANALYSIS_MAX_SIDE / Math.max(width, height));
    img.short = Math.round(Math.min(width, height) * scale);
  }
  const cache: Cache = fs.existsSync(CACHE_FILE) ? JSON.parse(fs.readFileSync(CACHE_FILE, 'utf8')) : {};
  const ids = value('--passes', 'ssd-clahe,ssd-mirror').split(',');
  const passes = ids.map((id) => { const p = CATALOGUE.find((c) => c.id === id); if (!p) throw new Error(`unknown pass ${id}`); return p; });
  await fill(images, passes, cache);
  if (args.includes('--fill-only')) return;
  const byId = new Map(configs().map((c) => [c.name, c]));
  const def = scoreConfig(images, cache, byId.get('BEFORE')!.o, byId.get('BEFORE')!.stages);
  console.log(`${'configuration'.padEnd(44)} demo f/c   dev found/count/false  free  CPU ms/img demo dev free   gained / lost (count right) vs BEFORE`);
  for (const c of byId.values()) {
    let s: Scored;
    try { s = scoreConfig(images, cache, c.o, c.stages); } catch { continue; }
    const wants = new Map(images.map((i) => [i.key, i.want]));
    const gained: string[] = [], lost: string[] = [];
    for (const [k, n] of s.per) {
      const d = def.per.get(k) ?? 0;
      const w = wants.get(k)!;
      if (right(w, n) && !right(w, d)) gained.push(k.replace(/^dev\//, ''));
      if (!right(w, n) && right(w, d)) lost.push(k.replace(/^dev\//, ''));
    }
    console.log(`${c.name.padEnd(44)} ${`${s.demoFound}/${s.demoRight}`.padEnd(10)} ${`${s.devFound}/${s.devRight}/${s.devFalse}`.padEnd(22)} ${String(s.freeFalse).padEnd(5)} ${[s.ms.demo, s.ms.dev, s.ms.free].map((x) => (x ?? 0).toFixed(0).padStart(5)).join(' ')}   +${gained.length} -${lost.length}${args.includes('--show') ? ` ${gained.join(' ')} | ${lost.join(' ')}` : ''}`);
  }
}

await main();
