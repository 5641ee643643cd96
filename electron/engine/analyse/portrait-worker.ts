/**
 * A worker thread of portrait analysis: decode → detect → classify → thumbnail for one file's
 * bytes per message. The catalog stays with the thread that owns the pool (it commits in
 * order); a worker only computes. It runs the face runtime the pool was told to use, so every
 * result matches the analyser id the catalog rows are stored under.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DetectPreset } from './analyse-portrait.ts';
import { analyseHere, type AnalysisOutcome } from './portrait-library.ts';
import { DefaultFaceClassifier } from '../classify/default-classifier.ts';
import { chooseFaceRuntime, onnxSession, releaseOnnxSessions, type FaceRuntimeName } from '../ml/onnx-runtime.ts';
import { adoptExecutionProvider } from '../ml/execution-provider.ts';

export interface PortraitWorkerData {
  runtime: FaceRuntimeName;
  /** ONNX Runtime's execution provider the starting thread chose and checked (null on TF.js). */
  onnxProvider: string | null;
  detect: DetectPreset;
  thumbsDir: string;
}
export interface PortraitJob {
  id: number;
  bytes: Uint8Array;
  hash: string;
}
/** Asks the worker to finish its job, release its ONNX sessions and exit on its own. */
export type PortraitWorkerClose = { type: 'close' };
export type PortraitWorkerMessage = { type: 'ready'; error: string | null } | { type: 'result'; id: number; outcome: AnalysisOutcome };

if (!parentPort) throw new Error('portrait-worker must run in a worker thread');
const port = parentPort;
const config = workerData as PortraitWorkerData;
// A worker's environment is its own copy: forcing here makes a failure an error, never a silent switch.
process.env.PORTRAIT_SONGS_FACE_RUNTIME = config.runtime;
// The provider too: every worker runs what the starting thread checked, and none probes the GPU again.
adoptExecutionProvider(config.onnxProvider);
const classifier = new DefaultFaceClassifier();

const ready = (async () => {
  const runtime = await chooseFaceRuntime();
  if (runtime.name === 'onnx') await onnxSession('detector');
})();
ready.then(
  () => port.postMessage({ type: 'ready', error: null } satisfies PortraitWorkerMessage),
  (err: Error) => port.postMessage({ type: 'ready', error: err.message } satisfies PortraitWorkerMessage),
);

// Jobs run one after another, so a close waits for the one in flight.
let inFlight: Promise<void> = Promise.resolve();

async function run(job: PortraitJob): Promise<void> {
  let outcome: AnalysisOutcome;
  try {
    await ready;
    const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
    outcome = await analyseHere(bytes, job.hash, { classifier, detect: config.detect, thumbsDir: config.thumbsDir });
  } catch (err) {
    outcome = { ok: false, message: (err as Error).message };
  }
  port.postMessage({ type: 'result', id: job.id, outcome } satisfies PortraitWorkerMessage);
}

port.on('message', (msg: PortraitJob | PortraitWorkerClose) => {
  if ('type' in msg) {
    // Terminating a thread that holds ONNX Runtime sessions can abort the whole process
    // (a native exception thrown during the thread's teardown); release them first, then
    // let the thread end by itself.
    inFlight = inFlight
      .then(() => ready.catch(() => undefined))
      .then(() => releaseOnnxSessions())
      .finally(() => port.close());
    return;
  }
  inFlight = inFlight.then(() => run(msg));
});
