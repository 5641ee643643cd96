/**
 * Child process of training/bench/bench-faces.ts for one (face runtime, preset): the runtime is fixed
 * by PORTRAIT_SONGS_FACE_RUNTIME, set by the parent before this process starts.
 *
 * 1. Recall and stage times: every image of every set through the app's own steps in this one
 *    thread (decode → detectFacesOnArt → the face classifier → thumbnail), timed per stage,
 *    faces counted per image.
 * 2. Throughput: the app's analyser (its worker pool, fed by analyseInOrder with the engine's
 *    read-ahead window, each result committed in order to an on-disk catalog) over the
 *    throughput files with 1 and with N workers, after a warm-up of `warmup` images per worker
 *    (a big collection runs in steady state: ONNX Runtime's buffers grown, every worker's code
 *    compiled); images/s is files / wall time from the first job sent to the last result back.
 * Prints one JSON line (BenchChildReport) on stdout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeImage } from '../../electron/engine/decode/image.ts';
import { ANALYSIS_MAX_SIDE, DETECT_PRESETS, type DetectPreset } from '../../electron/engine/analyse/analyse-portrait.ts';
import { artInferenceClock } from '../../electron/engine/faces/art-passes.ts';
import { detectFacesOnArt, newTrace } from '../../electron/engine/faces/detect-art.ts';
import { DefaultFaceClassifier } from '../../electron/engine/classify/default-classifier.ts';
import { chooseFaceRuntime } from '../../electron/engine/ml/onnx-runtime.ts';
import { initBackend } from '../../electron/engine/ml/backend.ts';
import { openAnalyser } from '../../electron/engine/analyse/portrait-analyser.ts';
import { analyseInOrder } from '../../electron/engine/analyse/analyse-in-order.ts';
import { openCatalog } from '../../electron/engine/catalog/open-catalog.ts';
import { PortraitsTable } from '../../electron/engine/catalog/portraits-table.ts';
import { thumbnailFromPixels } from '../../electron/engine/analyse/portrait-library.ts';

export interface BenchChildRequest {
  preset: DetectPreset;
  sets: Record<string, string[]>;
  throughputFiles: string[];
  workers: number[];
  /** Throughput runs per worker count, alternating counts, so a change of load hits both alike. */
  rounds: number;
  /** Images each worker analyses, untimed, before the timed run (1 = only its sessions loaded). */
  warmup: number;
}

export interface BenchChildReport {
  runtime: string;
  provider: string;
  preset: DetectPreset;
  /** Faces found per file, per set. */
  faces: Record<string, Record<string, number>>;
  stages: { images: number; decodeMs: number; detectMs: number; inferenceMs: number; classifyMs: number; thumbMs: number; secondLookImages: number; faces: number };
  /** The same stages in CPU time of this process (only this thread and sharp's are busy here): steadier than wall time on a shared machine. */
  stagesCpu: { decodeMs: number; detectMs: number; classifyMs: number; thumbMs: number };
  /** cpuMs: CPU time of this whole process (all worker threads) during the timed run. */
  throughput: { workers: number; round: number; images: number; wallMs: number; cpuMs: number; failed: number }[];
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function stagePass(req: BenchChildRequest): Promise<Pick<BenchChildReport, 'faces' | 'stages' | 'stagesCpu'>> {
  const options = DETECT_PRESETS[req.preset];
  const classifier = new DefaultFaceClassifier();
  const stages = { images: 0, decodeMs: 0, detectMs: 0, inferenceMs: 0, classifyMs: 0, thumbMs: 0, secondLookImages: 0, faces: 0 };
  const stagesCpu = { decodeMs: 0, detectMs: 0, classifyMs: 0, thumbMs: 0 };
  const faces: Record<string, Record<string, number>> = {};
  const warm = Object.values(req.sets)[0]?.[0];
  if (warm) {
    const { image } = await decodeImage(warm, ANALYSIS_MAX_SIDE);
    await classifier.classify(image, (await detectFacesOnArt(image, options)).map((f) => f.box));
  }
  for (const [set, files] of Object.entries(req.sets)) {
    faces[set] = {};
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      const c0 = cpuMs();
      const t0 = performance.now();
      const { image } = await decodeImage(bytes, ANALYSIS_MAX_SIDE);
      const t1 = performance.now();
      const c1 = cpuMs();
      const inf0 = artInferenceClock.ms;
      const trace = newTrace();
      const found = await detectFacesOnArt(image, options, trace);
      const t2 = performance.now();
      const c2 = cpuMs();
      await classifier.classify(image, found.map((f) => f.box));
      const t3 = performance.now();
      const c3 = cpuMs();
      await thumbnailFromPixels(image);
      const t4 = performance.now();
      const c4 = cpuMs();
      stagesCpu.decodeMs += c1 - c0;
      stagesCpu.detectMs += c2 - c1;
      stagesCpu.classifyMs += c3 - c2;
      stagesCpu.thumbMs += c4 - c3;
      stages.images++;
      stages.decodeMs += t1 - t0;
      stages.detectMs += t2 - t1;
      stages.inferenceMs += artInferenceClock.ms - inf0;
      stages.classifyMs += t3 - t2;
      stages.thumbMs += t4 - t3;
      stages.faces += found.length;
      if (options.passes.some((p) => (p.look ?? 1) > 1 && trace.passMs[p.id] !== undefined)) stages.secondLookImages++;
      faces[set]![path.basename(file)] = found.length;
    }
  }
  return { faces, stages, stagesCpu };
}

async function throughput(req: BenchChildRequest, runtime: 'onnx' | 'tfjs', workers: number, round: number): Promise<BenchChildReport['throughput'][number]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-faces-run-'));
  const thumbsDir = path.join(dir, 'thumbs');
  fs.mkdirSync(thumbsDir);
  // The app's path: its analyser (the worker pool, lazily started) fed by analyseInOrder with the
  // app's read-ahead window, each result committed to an on-disk catalog in list order.
  const analyser = openAnalyser({ workers, files: req.throughputFiles.length, runtime, deps: { classifier: new DefaultFaceClassifier(), detect: req.preset, thumbsDir } });
  const warmDb = openCatalog(':memory:');
  const db = openCatalog(path.join(dir, 'catalog.sqlite'));
  try {
    const deps = (portraits: PortraitsTable) => ({ portraits, detect: req.preset, thumbsDir, analyser: 'bench' });
    // Warm-up (sessions, kernels, weights, JIT) through the same pool, into a throw-away catalog.
    await analyseInOrder(req.throughputFiles.slice(0, Math.max(1, req.warmup) * workers), deps(new PortraitsTable(warmDb)), analyser, { onResult: () => undefined });
    for (const f of fs.readdirSync(thumbsDir)) fs.rmSync(path.join(thumbsDir, f));
    let failed = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await analyseInOrder(req.throughputFiles, deps(new PortraitsTable(db)), analyser, { onResult: (_f, row) => void (row.error && failed++) });
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { workers, round, images: req.throughputFiles.length, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, failed };
  } finally {
    await analyser.close();
    warmDb.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

process.once('message', async (req: BenchChildRequest) => {
  try {
    const runtime = await chooseFaceRuntime();
    const provider = runtime.name === 'onnx' ? `onnxruntime-node ${runtime.onnxruntimeVersion} (${runtime.executionProviders!.join(', ')})` : `TF.js ${(await initBackend()).name}`;
    const { faces, stages, stagesCpu } = await stagePass(req);
    const runs: BenchChildReport['throughput'] = [];
    for (let round = 0; round < req.rounds; round++) for (const n of req.workers) runs.push(await throughput(req, runtime.name, n, round));
    const report: BenchChildReport = { runtime: runtime.name, provider, preset: req.preset, faces, stages, stagesCpu, throughput: runs };
    process.send?.({ type: 'done', report });
  } catch (err) {
    process.send?.({ type: 'error', message: (err as Error).stack ?? String(err) });
  }
  process.disconnect?.();
});
