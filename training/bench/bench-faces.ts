/**
 * Face analysis on art, side by side for each face runtime (ONNX Runtime, TF.js) and preset
 * (default = `art`, fast): recall on the demo portraits, the dev set (art beyond paintings) and
 * the face-free set; ms per stage; images/s through the app's worker pool with 1 and N workers.
 *
 *   npm run bench:faces -- [--runtimes onnx,tfjs] [--presets art,fast] [--workers 1,2]
 *                          [--rounds 3] [--warmup 8] [--limit N] [--throughput demo|all] [--catalogue [--reuse]]
 *
 * Each (runtime, preset) runs in a child process (training/bench/bench-faces-worker.ts), one after
 * the other, so the figures of one never share the machine with another's. Throughput runs
 * alternate 1 and N workers for --rounds rounds and report the median, each after --warmup
 * images per worker (default 8: the steady state a big collection runs in; 1 = a cold pool), and
 * print beside it the machine's own ceiling for N threads (training/bench/cpu-scaling.ts, pure compute,
 * measured just before and after), since a shared virtual machine does not scale N-fold. On a
 * shared machine the wall-clock figures move with other people's load, so the CPU time per image
 * (all threads of the process) is printed too: 1000 / (CPU ms per image) × cores is what
 * dedicated cores give.
 * "found" = images with ≥1 face among those that have faces; "count" = face-1 → 1, faces-2 → 2,
 * group → ≥3 (demo: of 60; dev: of its 95 images with faces); "false" = images without a face
 * on which one was found (face-free set; dev's 24 no-face images).
 *
 * --catalogue: the older exploration table instead (every pass of the catalogue once per image,
 * then every configuration scored by replaying the cached pass outputs), on the TF.js runtime.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImage } from '../../electron/engine/decode/image.ts';
import { ANALYSIS_MAX_SIDE } from '../../electron/engine/analyse/analyse-portrait.ts';
import { runArtPass, VariantCache, type ArtPass, type Candidate } from '../../electron/engine/faces/art-passes.ts';
import { ART_DETECT_DEFAULT, ART_DETECT_FAST, mergeOptionsOf } from '../../electron/engine/faces/detect-art.ts';
import { writeFaceFreeSet } from '../faces/face-free-set.ts';
import { loadFaceApi } from '../../electron/engine/faces/face-api.ts';
import { mergeCandidates, type MergeOptions } from '../../electron/engine/faces/merge-candidates.ts';
import { initBackend } from '../../electron/engine/ml/backend.ts';
import type { BenchChildReport, BenchChildRequest } from './bench-faces-worker.ts';
import type { DetectPreset } from '../../electron/engine/analyse/analyse-portrait.ts';
import { readDevManifest, type DevExpected } from '../faces/dev-set.ts';
import { cpuScalingCeiling } from './cpu-scaling.ts';
import { PORTRAITS_DEMO, PORTRAITS_DEV } from '../paths.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const value = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const DEMO_DIR = path.resolve(value('--demo', PORTRAITS_DEMO));
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

// ---------------------------------------------------------------- side-by-side runs

function runChild(runtime: string, req: BenchChildRequest): Promise<BenchChildReport> {
  const child = fork(path.join(here, 'bench-faces-worker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, PORTRAIT_SONGS_FACE_RUNTIME: runtime },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { type: 'done'; report: BenchChildReport } | { type: 'error'; message: string }) => {
      if (m.type === 'done') resolve(m.report);
      else reject(new Error(m.message));
    });
    child.once('exit', (code) => reject(new Error(`bench child exited with ${code}`)));
    child.send(req);
  });
}

function score(found: Record<string, number>, expected: Map<string, DevExpected>): { found: number; withFaces: number; right: number; falseImages: number; without: number } {
  let f = 0, withFaces = 0, right = 0, falseImages = 0, without = 0;
  for (const [file, n] of Object.entries(found)) {
    const want = expected.get(file);
    if (want === undefined) continue;
    if (want === 0) {
      without++;
      if (n > 0) falseImages++;
      continue;
    }
    withFaces++;
    if (n > 0) f++;
    if (want === 'group' ? n >= 3 : n === want) right++;
  }
  return { found: f, withFaces, right, falseImages, without };
}

const pad = (s: string | number, n: number): string => String(s).padEnd(n);
const padL = (s: string | number, n: number): string => String(s).padStart(n);

async function sideBySide(demoFiles: string[], faceFreeFiles: string[], expected: Map<string, Expected>): Promise<void> {
  const devDir = path.resolve(value('--dev', PORTRAITS_DEV));
  const dev = fs.existsSync(path.join(devDir, 'manifest.csv')) ? readDevManifest(devDir) : new Map<string, DevExpected>();
  const limit = Number(value('--limit', '0'));
  const devFiles = [...dev.keys()].map((f) => path.join(devDir, f)).filter((f) => fs.existsSync(f)).slice(0, limit > 0 ? limit : undefined);
  const runtimes = value('--runtimes', 'onnx,tfjs').split(',');
  const presets = value('--presets', 'art,fast').split(',') as DetectPreset[];
  const workers = value('--workers', `1,${os.availableParallelism()}`).split(',').map(Number);
  const demoExpected = new Map<string, DevExpected>([...expected].map(([f, e]) => [f, e]));
  const freeExpected = new Map<string, DevExpected>(faceFreeFiles.map((f) => [path.basename(f), 0]));
  // `all`: demo + dev + face-free, so the pool runs long enough that its start and its tail (one
  // worker idle on the last image) weigh as little as in a real collection of thousands.
  const throughputSet = value('--throughput', 'demo');
  const throughputFiles = throughputSet === 'all' ? [...demoFiles, ...devFiles, ...faceFreeFiles] : demoFiles;
  const warmup = Number(value('--warmup', '8'));
  console.log(`sets: demo ${demoFiles.length}, dev ${devFiles.length} (${devDir}), face-free ${faceFreeFiles.length}; throughput on ${throughputSet === 'all' ? `all ${throughputFiles.length} images` : 'the demo set'}, after ${warmup} images per worker of warm-up; workers ${workers.join(' and ')}\n`);
  const rows: string[] = [];
  const head = `${pad('runtime / preset', 44)} ${padL('demo found', 10)} ${padL('count', 6)} ${padL('dev found', 10)} ${padL('count', 6)} ${padL('false', 6)} ${padL('free FP', 8)} | ${workers.map((n) => padL(`${n}w img/s`, 10)).join(' ')} ${padL('speed-up', 9)} ${padL('CPU ms/img', 11)}`;
  for (const runtime of runtimes) {
    for (const preset of presets) {
      const load0 = os.loadavg()[0]!;
      const nMax = Math.max(...workers);
      const ceiling0 = nMax > 1 ? await cpuScalingCeiling(nMax) : null;
      const rounds = Number(value('--rounds', runtime === 'tfjs' ? '1' : '3'));
      const report = await runChild(runtime, { preset, sets: { demo: demoFiles, dev: devFiles, free: faceFreeFiles }, throughputFiles, workers, rounds, warmup });
      const d = score(report.faces.demo ?? {}, demoExpected);
      const v = score(report.faces.dev ?? {}, dev);
      const f = score(report.faces.free ?? {}, freeExpected);
      const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const ips = workers.map((n) => median(report.throughput.filter((t) => t.workers === n).map((t) => (t.images / t.wallMs) * 1000)));
      const cpuPer = workers.map((n) => median(report.throughput.filter((t) => t.workers === n).map((t) => t.cpuMs / t.images)));
      const st = report.stages;
      const per = (x: number): string => (x / st.images).toFixed(0);
      const label = `${runtime} ${preset}`;
      const line = `${pad(label, 44)} ${padL(`${d.found}/${d.withFaces}`, 10)} ${padL(d.right, 6)} ${padL(`${v.found}/${v.withFaces}`, 10)} ${padL(v.right, 6)} ${padL(`${v.falseImages}/${v.without}`, 6)} ${padL(`${f.falseImages}/${f.without}`, 8)} | ${ips.map((x) => padL(x.toFixed(2), 10)).join(' ')} ${padL(ips.length > 1 ? `${(ips.at(-1)! / ips[0]!).toFixed(2)}×` : '', 9)} ${padL(cpuPer.at(-1)!.toFixed(0), 11)}`;
      rows.push(line);
      console.log(head);
      console.log(line);
      console.log(`  ${report.provider}; one thread, wall ms/image over ${st.images} images: decode ${per(st.decodeMs)}, detect ${per(st.detectMs)} (model ${per(st.inferenceMs)}, pre/post-processing ${per(st.detectMs - st.inferenceMs)}), classify ${per(st.classifyMs)} (${(st.faces / st.images).toFixed(2)} faces/image), thumbnail ${per(st.thumbMs)}; looks after the first (mirror, grey, tiles) on ${st.secondLookImages}/${st.images} images`);
      const sc = report.stagesCpu;
      console.log(`  CPU ms/image, same pass: decode ${per(sc.decodeMs)}, detect ${per(sc.detectMs)}, classify ${per(sc.classifyMs)}, thumbnail ${per(sc.thumbMs)}; total ${per(sc.decodeMs + sc.detectMs + sc.classifyMs + sc.thumbMs)}`);
      console.log(`  face classifier, CPU ms per face (crop + network, one thread): ${(sc.classifyMs / Math.max(1, st.faces)).toFixed(1)} over ${st.faces} faces (wall ${(st.classifyMs / Math.max(1, st.faces)).toFixed(1)}); goal ≤ 25`);
      console.log(`  pool runs (workers: images/s, CPU ms/image): ${report.throughput.map((t) => `${t.workers}w ${((t.images / t.wallMs) * 1000).toFixed(2)}/s ${(t.cpuMs / t.images).toFixed(0)} ms`).join('; ')}; failed ${report.throughput.reduce((a, t) => a + t.failed, 0)}`);
      console.log(`  CPU ms/image (median): ${workers.map((n, i) => `${n}w ${cpuPer[i]!.toFixed(0)}`).join(', ')} → on ${os.cpus().length} dedicated cores ≈ ${((1000 / cpuPer.at(-1)!) * Math.min(os.cpus().length, workers.at(-1)!)).toFixed(2)} images/s`);
      const ceiling1 = nMax > 1 ? await cpuScalingCeiling(nMax) : null;
      if (ceiling0 !== null && ceiling1 !== null) {
        console.log(`  this machine's own ceiling for ${nMax} threads (pure compute, training/bench/cpu-scaling.ts): ${ceiling0.toFixed(2)}× before, ${ceiling1.toFixed(2)}× after; pool speed-ups per round: ${report.throughput.filter((t) => t.workers === nMax).map((t) => { const one = report.throughput.find((u) => u.workers === 1 && u.round === t.round); return one ? `${(t.wallMs ? one.wallMs / t.wallMs : 0).toFixed(2)}×` : '?'; }).join(', ')}`);
      }
      console.log(`  load average ${load0.toFixed(2)} before, ${os.loadavg()[0]!.toFixed(2)} after (${os.cpus().length} cores)\n`);
    }
  }
  console.log('summary');
  console.log(head);
  for (const r of rows) console.log(r);
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  fs.mkdirSync(WORK_DIR, { recursive: true });
  const expected = readManifest(DEMO_DIR);
  const limit = Number(value('--limit', '0'));
  const demoFiles = [...expected.keys()].map((f) => path.join(DEMO_DIR, f)).filter((f) => fs.existsSync(f)).slice(0, limit > 0 ? limit : undefined);
  const faceFreeDir = path.join(WORK_DIR, 'face-free');
  fs.rmSync(faceFreeDir, { recursive: true, force: true });
  const faceFreeFiles = await writeFaceFreeSet(DEMO_DIR, faceFreeDir);
  console.log(`${os.cpus().length} cores; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  if (flag('--catalogue')) {
    const backend = await initBackend();
    console.log(`catalogue on TF.js ${backend.name}; demo: ${demoFiles.length} portraits in ${DEMO_DIR}; face-free: ${faceFreeFiles.length} images in ${faceFreeDir}\n`);
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
    console.log('(ms/img = sum of the passes\' times; every pass of the catalogue ran once per image; a second-look pass is scored as if it ran everywhere)\n');
    return;
  }
  await sideBySide(demoFiles, faceFreeFiles, expected);
}

await main();
