/**
 * Face detection on art: recall, count and false positives of every configuration tried, then
 * throughput of the chosen preset in 1 and 2 worker processes.
 *
 *   node --import tsx scripts/bench-faces.ts [--reuse] [--skip-table] [--skip-workers]
 *                                            [--preset default|fast] [--demo DIR] [--limit N]
 *
 * 1. Generates the face-free set into a temp folder (face-free-set.ts).
 * 2. Runs every pass of the catalogue once over the demo portraits and the face-free set
 *    (cached in the temp folder; --reuse replays the cache), then scores each configuration
 *    by merging the cached pass outputs exactly as detectFacesOnArt does. ms/image is the sum
 *    of the configuration's pass times.
 * 3. Forks scripts/bench-faces-worker.ts: once with all files (stage times, images/s, share of
 *    wall time in model inference), then two workers with half the files each, side by side.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImage } from '../electron/engine/decode/image.ts';
import { ANALYSIS_MAX_SIDE } from '../electron/engine/analyse/analyse-portrait.ts';
import { runArtPass, VariantCache, type ArtPass, type Candidate } from '../electron/engine/faces/art-passes.ts';
import { ART_DETECT_DEFAULT, ART_DETECT_FAST, mergeOptionsOf } from '../electron/engine/faces/detect-art.ts';
import { writeFaceFreeSet } from '../electron/engine/faces/face-free-set.ts';
import { loadFaceApi } from '../electron/engine/faces/face-api.ts';
import { mergeCandidates, type MergeOptions } from '../electron/engine/faces/merge-candidates.ts';
import { initBackend } from '../electron/engine/ml/backend.ts';
import type { WorkerReport, WorkerRequest } from './bench-faces-worker.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const value = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const DEMO_DIR = path.resolve(value('--demo', path.join(here, '../../shared/data/portraits/demo')));
const PRESET = value('--preset', 'default') as WorkerRequest['preset'];
const WORK_DIR = path.join(os.tmpdir(), 'portrait-songs-bench-faces');
const CACHE_VERSION = 'passes-v1';

// ---------------------------------------------------------------- ground truth from the manifest

type Expected = 1 | 2 | 'group';

function readManifest(dir: string): Map<string, Expected> {
  const text = fs.readFileSync(path.join(dir, 'manifest.csv'), 'utf8');
  const out = new Map<string, Expected>();
  for (const line of text.split('\n').slice(1)) {
    if (!line.trim()) continue;
    const file = line.slice(0, line.indexOf(','));
    const kind = line.slice(line.lastIndexOf(',') + 1);
    const tags = kind.split(';');
    out.set(file, tags.includes('group') ? 'group' : tags.includes('faces-2') ? 2 : 1);
  }
  return out;
}

export function countRight(expected: Expected, found: number): boolean {
  return expected === 'group' ? found >= 3 : found === expected;
}

// ---------------------------------------------------------------- pass catalogue and cache

const F = 0.1;
const CATALOGUE: ArtPass[] = [
  { id: 'ssd', detector: 'ssd', preprocess: 'none', floor: F },
  { id: 'ssd-mirror', detector: 'ssd', preprocess: 'none', mirror: true, floor: F },
  { id: 'ssd-clahe', detector: 'ssd', preprocess: 'clahe', floor: F },
  { id: 'ssd-normalise', detector: 'ssd', preprocess: 'normalise', floor: F },
  { id: 'ssd-grey', detector: 'ssd', preprocess: 'grey', floor: F },
  { id: 'ssd-grey-clahe', detector: 'ssd', preprocess: 'grey-clahe', floor: F },
  { id: 'ssd-brighten', detector: 'ssd', preprocess: 'brighten', floor: F },
  { id: 'ssd-tiles2', detector: 'ssd', preprocess: 'none', tiles: 2, tileFraction: 0.6, floor: F },
  { id: 'tiny416', detector: 'tiny', preprocess: 'none', inputSize: 416, floor: F },
  { id: 'tiny608', detector: 'tiny', preprocess: 'none', inputSize: 608, floor: F },
  { id: 'tiny416-mirror', detector: 'tiny', preprocess: 'none', inputSize: 416, mirror: true, floor: F },
  { id: 'tiny416-clahe', detector: 'tiny', preprocess: 'clahe', inputSize: 416, floor: F },
  { id: 'tiny-tiles2', detector: 'tiny', preprocess: 'none', inputSize: 416, tiles: 2, tileFraction: 0.6, floor: F },
  { id: 'tiny-tiles3', detector: 'tiny', preprocess: 'none', inputSize: 416, tiles: 3, tileFraction: 0.45, floor: F },
];

interface PassRecord {
  ms: number;
  cands: { box: [number, number, number, number]; score: number }[];
}
type PassCache = Record<string, { passes: Record<string, PassRecord> }>;

async function runCatalogue(files: string[], cacheFile: string, label: string): Promise<PassCache> {
  const cache: PassCache = flag('--reuse') && fs.existsSync(cacheFile) ? JSON.parse(fs.readFileSync(cacheFile, 'utf8')) : {};
  let done = 0;
  for (const file of files) {
    const key = path.basename(file);
    const entry = (cache[key] ??= { passes: {} });
    const missing = CATALOGUE.filter((p) => !entry.passes[p.id]);
    if (missing.length) {
      const { image } = await decodeImage(file, ANALYSIS_MAX_SIDE);
      const variants = new VariantCache(image);
      for (const pass of missing) {
        const t0 = performance.now();
        const cands = await runArtPass(variants, pass);
        entry.passes[pass.id] = { ms: performance.now() - t0, cands: cands.map((c) => ({ box: c.box, score: c.score })) };
      }
      fs.writeFileSync(cacheFile, JSON.stringify(cache));
    }
    done++;
    process.stderr.write(`\r${label}: ${done}/${files.length} `);
  }
  process.stderr.write('\n');
  return cache;
}

// ---------------------------------------------------------------- configurations tried

const T = (spec: Record<string, number | [number, number]>): MergeOptions['thresholds'] =>
  Object.fromEntries(Object.entries(spec).map(([p, t]) => [p, Array.isArray(t) ? { accept: t[0], support: t[1] } : { accept: t, support: t }]));
const BASE = { iou: 0.3, containment: 0.6, minRelativeSize: 0, minFaceSide: 0, maxFaces: 20, minVotes: 99 };

interface Config {
  name: string;
  merge: MergeOptions;
}

function configs(): Config[] {
  const list: Config[] = [];
  const single = (id: string, t: number): Config => ({ name: `${id} @${t}`, merge: { ...BASE, thresholds: T({ [id]: t }) } });
  for (const t of [0.5, 0.4, 0.3]) list.push(single('ssd', t));
  for (const id of ['ssd-clahe', 'ssd-normalise', 'ssd-grey', 'ssd-grey-clahe', 'ssd-brighten', 'ssd-mirror', 'ssd-tiles2']) {
    list.push(single(id, 0.4), single(id, 0.3));
  }
  for (const id of ['tiny416', 'tiny608', 'tiny416-clahe', 'tiny416-mirror', 'tiny-tiles2', 'tiny-tiles3']) list.push(single(id, 0.5), single(id, 0.3));
  const add = (name: string, m: Partial<MergeOptions> & { thresholds: MergeOptions['thresholds'] }): void => {
    list.push({ name, merge: { ...BASE, ...m } });
  };
  add('ssd .4 + ssd-clahe .4', { thresholds: T({ ssd: 0.4, 'ssd-clahe': 0.4 }) });
  add('ssd .4 + ssd-clahe .4 + ssd-mirror .4', { thresholds: T({ ssd: 0.4, 'ssd-clahe': 0.4, 'ssd-mirror': 0.4 }) });
  add('ssd .4 + ssd-clahe .4 + ssd-grey-clahe .4', { thresholds: T({ ssd: 0.4, 'ssd-clahe': 0.4, 'ssd-grey-clahe': 0.4 }) });
  add('ssd .4 + ssd-clahe .4 + ssd-tiles2 .5', { thresholds: T({ ssd: 0.4, 'ssd-clahe': 0.4, 'ssd-tiles2': 0.5 }) });
  add('ssd .4 + ssd-clahe .4 + tiny .5', { thresholds: T({ ssd: 0.4, 'ssd-clahe': 0.4, tiny416: 0.5 }) });
  add('votes≥2: ssd .5/.2 clahe .5/.2 tiny .6/.2', { minVotes: 2, thresholds: T({ ssd: [0.5, 0.2], 'ssd-clahe': [0.5, 0.2], tiny416: [0.6, 0.2] }) });
  add('votes≥2: + tiny-tiles2 .6/.2', { minVotes: 2, thresholds: T({ ssd: [0.4, 0.2], 'ssd-clahe': [0.4, 0.2], tiny416: [0.6, 0.2], 'tiny-tiles2': [0.6, 0.2] }) });
  add('votes≥3: 5 SSD variants + 3 tiny .5/.2', {
    minVotes: 3,
    thresholds: T({ ssd: [0.5, 0.2], 'ssd-clahe': [0.5, 0.2], 'ssd-mirror': [0.5, 0.2], 'ssd-grey-clahe': [0.5, 0.2], 'ssd-normalise': [0.5, 0.2], tiny416: [0.6, 0.2], 'tiny416-clahe': [0.6, 0.2], 'tiny416-mirror': [0.6, 0.2] }),
  });
  add('tiny + tiny-clahe votes≥2 .4/.2', { minVotes: 2, thresholds: T({ tiny416: [0.4, 0.2], 'tiny416-clahe': [0.4, 0.2] }) });
  add('ssd-clahe .4 + ssd-mirror .35', { thresholds: T({ 'ssd-clahe': 0.4, 'ssd-mirror': 0.35 }) });
  add('ssd-clahe .4 + ssd-mirror .35, ≥20 px', { minFaceSide: 20, thresholds: T({ 'ssd-clahe': 0.4, 'ssd-mirror': 0.35 }) });
  add('ssd-clahe .4 ≥20 px', { minFaceSide: 20, thresholds: T({ 'ssd-clahe': 0.4 }) });
  list.push({ name: 'ART_DETECT_DEFAULT', merge: mergeOptionsOf(ART_DETECT_DEFAULT) });
  list.push({ name: 'ART_DETECT_FAST', merge: mergeOptionsOf(ART_DETECT_FAST) });
  return list;
}

function candidatesOf(entry: PassCache[string], passes: string[]): Candidate[] {
  return passes.flatMap((p) => (entry.passes[p]?.cands ?? []).map((c) => ({ box: c.box, score: c.score, pass: p })));
}

function scoreConfig(c: Config, demo: PassCache, faceFree: PassCache, expected: Map<string, Expected>) {
  const passes = Object.keys(c.merge.thresholds);
  let found = 0;
  let right = 0;
  let ms = 0;
  const wrong: string[] = [];
  for (const [file, entry] of Object.entries(demo)) {
    const n = mergeCandidates(candidatesOf(entry, passes), c.merge).length;
    ms += passes.reduce((s, p) => s + (entry.passes[p]?.ms ?? 0), 0);
    if (n > 0) found++;
    const want = expected.get(file) ?? 1;
    if (countRight(want, n)) right++;
    else wrong.push(`${file} (${want}: ${n})`);
  }
  let fp = 0;
  for (const entry of Object.values(faceFree)) if (mergeCandidates(candidatesOf(entry, passes), c.merge).length > 0) fp++;
  return { found, right, fp, ms: ms / Math.max(1, Object.keys(demo).length), wrong };
}

// ---------------------------------------------------------------- workers

async function runWorkers(shares: string[][]): Promise<{ reports: WorkerReport[]; wallMs: number }> {
  const children = shares.map(() =>
    fork(path.join(here, 'bench-faces-worker.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  const waitFor = <T>(child: (typeof children)[number], type: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: { type: string; report?: WorkerReport }): void => {
        if (m.type === type) {
          child.off('message', onMessage);
          resolve(m as T);
        }
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`worker exited with ${code} before "${type}"`)));
    });
  const ready = children.map((c) => waitFor(c, 'ready'));
  children.forEach((c, i) => c.send({ files: shares[i] ?? [], preset: PRESET } satisfies WorkerRequest));
  await Promise.all(ready);
  const done = children.map((c) => waitFor<{ report: WorkerReport }>(c, 'done'));
  const t0 = Date.now();
  children.forEach((c) => c.send({ type: 'go' }));
  const reports = (await Promise.all(done)).map((d) => d.report);
  const wallMs = Math.max(...reports.map((r) => r.endedAt)) - Math.min(t0, ...reports.map((r) => r.startedAt));
  for (const c of children) if (c.connected) c.disconnect();
  return { reports, wallMs };
}

// ---------------------------------------------------------------- main

const pad = (s: string | number, n: number): string => String(s).padEnd(n);
const padL = (s: string | number, n: number): string => String(s).padStart(n);

async function main(): Promise<void> {
  fs.mkdirSync(WORK_DIR, { recursive: true });
  const expected = readManifest(DEMO_DIR);
  const limit = Number(value('--limit', '0'));
  const demoFiles = [...expected.keys()].map((f) => path.join(DEMO_DIR, f)).filter((f) => fs.existsSync(f)).slice(0, limit > 0 ? limit : undefined);
  const faceFreeDir = path.join(WORK_DIR, 'face-free');
  fs.rmSync(faceFreeDir, { recursive: true, force: true });
  const faceFreeFiles = await writeFaceFreeSet(DEMO_DIR, faceFreeDir);
  const backend = await initBackend();
  console.log(`backend ${backend.name}; ${os.cpus().length} cores; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`demo: ${demoFiles.length} portraits in ${DEMO_DIR}; face-free: ${faceFreeFiles.length} images in ${faceFreeDir}\n`);

  if (!flag('--skip-table')) {
    await loadFaceApi(['ssdMobilenetv1', 'tinyFaceDetector']);
    const demo = await runCatalogue(demoFiles, path.join(WORK_DIR, `${CACHE_VERSION}-demo.json`), 'demo passes');
    const faceFree = await runCatalogue(faceFreeFiles, path.join(WORK_DIR, `${CACHE_VERSION}-face-free.json`), 'face-free passes');
    const n = Object.keys(demo).length;
    console.log(`${pad('configuration', 50)} ${padL('found', 7)} ${padL('count', 7)} ${padL('FP', 6)} ${padL('ms/img', 7)}`);
    for (const c of configs()) {
      const s = scoreConfig(c, demo, faceFree, expected);
      console.log(`${pad(c.name, 50)} ${padL(`${s.found}/${n}`, 7)} ${padL(`${s.right}/${n}`, 7)} ${padL(`${s.fp}/${faceFreeFiles.length}`, 6)} ${padL(Math.round(s.ms), 7)}`);
      if (c.name.startsWith('ART_DETECT')) console.log(`    count wrong: ${s.wrong.join(', ') || 'none'}`);
    }
    console.log('(ms/img = sum of the passes\' times; every pass of the catalogue ran once per image)\n');
  }

  if (!flag('--skip-workers')) {
    console.log(`preset ${PRESET}: decode → detectFacesOnArt → the shipped face-emotion head, models loaded and warmed up before timing`);
    const one = await runWorkers([demoFiles]);
    const r = one.reports[0]!;
    const ips1 = (r.images / one.wallMs) * 1000;
    const per = (x: number): string => (x / r.images).toFixed(0);
    console.log(`1 process : ${r.images} images in ${(one.wallMs / 1000).toFixed(1)} s = ${ips1.toFixed(2)} images/s (${r.faces} faces)`);
    console.log(`  ms/image: decode ${per(r.decodeMs)}, detect ${per(r.detectMs)} (inference ${per(r.detectInferenceMs)}), classify ${per(r.classifyMs)}`);
    const inference = r.detectInferenceMs + r.classifyMs;
    console.log(`  model inference (detector calls + classify stage) = ${((100 * inference) / one.wallMs).toFixed(0)} % of wall time`);
    const half = Math.ceil(demoFiles.length / 2);
    const two = await runWorkers([demoFiles.slice(0, half), demoFiles.slice(half)]);
    const images = two.reports.reduce((s, x) => s + x.images, 0);
    const ips2 = (images / two.wallMs) * 1000;
    console.log(`2 processes: ${images} images in ${(two.wallMs / 1000).toFixed(1)} s = ${ips2.toFixed(2)} images/s; speed-up ${(ips2 / ips1).toFixed(2)}×`);
    for (const [i, x] of two.reports.entries()) {
      console.log(`  worker ${i + 1}: ${x.images} images, detect ${(x.detectMs / x.images).toFixed(0)} ms/image, ${((x.endedAt - x.startedAt) / 1000).toFixed(1)} s`);
    }
    console.log(`goal ≥3 portraits/s with 2 workers: ${ips2 >= 3 ? 'MET' : 'NOT met'} (${ips2.toFixed(2)}/s; load average now ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores)`);
  }
}

await main();
