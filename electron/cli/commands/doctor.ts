/** `portrait-songs doctor`: what this machine gives the engine. */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { initBackend } from '../../engine/ml/backend.ts';
import { chooseFaceRuntime, loadOrt } from '../../engine/ml/onnx-runtime.ts';
import { onnxExecutionProvider, type OnnxProviderInfo } from '../../engine/ml/execution-provider.ts';
import { onnxProviderLabel } from '../../../shared/onnx-provider.ts';
import { analysisWorkerCount, ANALYSIS_WORKERS_ENV } from '../../engine/analyse/portrait-pool.ts';
import { defaultDataDir } from '../../engine/data-dir.ts';
import { APP_VERSION } from '../../engine/version.ts';
import type { Command } from './command.ts';

export const doctor: Command = {
  name: 'doctor',
  usage: 'doctor [--json]',
  summary: 'Show the inference backends in use (TF.js, ONNX Runtime) and why others were skipped',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } } });
    const backend = await initBackend();
    const faceRuntime = await chooseFaceRuntime();
    // The face models' choice when they run on ONNX Runtime; asked for here otherwise (the music
    // network runs on ONNX Runtime either way).
    let onnxProvider: OnnxProviderInfo | null = faceRuntime.executionProvider;
    let onnxProviderError: string | null = null;
    if (!onnxProvider) {
      try {
        onnxProvider = await onnxExecutionProvider(loadOrt);
      } catch (err) {
        onnxProviderError = (err as Error).message;
      }
    }
    const report = {
      version: APP_VERSION,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: os.cpus().length,
      backend: backend.name,
      forced: backend.forced,
      skipped: backend.skipped,
      tfjs: backend.tfjsVersion,
      dataDir: defaultDataDir(),
      faceRuntime,
      onnxProvider,
      onnxProviderError,
      analysisWorkers: analysisWorkerCount(),
    };
    if (values.json) {
      io.out(JSON.stringify(report));
      return 0;
    }
    io.out(`Portrait Songs ${report.version} on Node ${report.node} (${report.platform}, ${report.cpus} cores)`);
    io.out(`Backend: ${report.backend}${report.forced ? ' (forced by PORTRAIT_SONGS_BACKEND)' : ''}, TensorFlow.js ${report.tfjs}`);
    for (const s of report.skipped) io.out(`  skipped ${s.name}: ${s.reason}`);
    const fr = report.faceRuntime;
    io.out(
      fr.name === 'onnx'
        ? `Face models: ONNX Runtime (onnxruntime-node ${fr.onnxruntimeVersion}, provider below), graphs ${fr.modelsDigest}${fr.forced ? ' (forced by PORTRAIT_SONGS_FACE_RUNTIME)' : ''}`
        : `Face models: TensorFlow.js (backend above)${fr.skipped ? `; ONNX Runtime skipped: ${fr.skipped}` : ''}`,
    );
    const ep = report.onnxProvider;
    if (ep) {
      const how = ep.forced ? ' (forced by PORTRAIT_SONGS_ONNX_EP)' : ep.name === 'cpu' ? '' : ' (checked against the CPU on the classifier graph)';
      io.out(`ONNX Runtime execution provider: ${onnxProviderLabel(ep.name)}${how}`);
      for (const s of ep.skipped) io.out(`  passed over ${s.name}: ${s.reason}`);
    } else {
      io.out(`ONNX Runtime execution provider: none (${report.onnxProviderError ?? 'not chosen'})`);
    }
    io.out(`Analysis workers: ${report.analysisWorkers}${process.env[ANALYSIS_WORKERS_ENV] ? ` (${ANALYSIS_WORKERS_ENV})` : ' (one per core)'}`);
    io.out(`Data folder: ${report.dataDir}`);
    return 0;
  },
};
