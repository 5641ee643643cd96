/**
 * Worker process of scripts/bench-faces.ts: loads the models, warms up on one image, says
 * `ready`, then on `go` analyses its share of the files (decode → detectFacesOnArt →
 * the shipped face-emotion head) and reports per-stage times. One process = one wasm core.
 */
import { decodeImage } from '../electron/engine/decode/image.ts';
import { ANALYSIS_MAX_SIDE } from '../electron/engine/analyse/analyse-portrait.ts';
import { artInferenceClock } from '../electron/engine/faces/art-passes.ts';
import { ART_DETECT_DEFAULT, ART_DETECT_FAST, detectFacesOnArt } from '../electron/engine/faces/detect-art.ts';
import { DefaultFaceClassifier } from '../electron/engine/classify/default-classifier.ts';
import { loadFaceApi } from '../electron/engine/faces/face-api.ts';
import { initBackend } from '../electron/engine/ml/backend.ts';

export interface WorkerRequest {
  files: string[];
  preset: 'default' | 'fast';
}

export interface WorkerReport {
  backend: string;
  images: number;
  faces: number;
  startedAt: number;
  endedAt: number;
  decodeMs: number;
  detectMs: number;
  detectInferenceMs: number;
  classifyMs: number;
}

const send = (msg: unknown): void => {
  process.send?.(msg);
};

process.once('message', async (req: WorkerRequest) => {
  const backend = await initBackend();
  await loadFaceApi(['ssdMobilenetv1', 'tinyFaceDetector', 'faceExpressionNet']);
  const options = req.preset === 'fast' ? ART_DETECT_FAST : ART_DETECT_DEFAULT;
  const classifier = new DefaultFaceClassifier();
  const analyse = async (file: string, r?: WorkerReport): Promise<void> => {
    const t0 = performance.now();
    const { image } = await decodeImage(file, ANALYSIS_MAX_SIDE);
    const t1 = performance.now();
    const inf0 = artInferenceClock.ms;
    const faces = await detectFacesOnArt(image, options);
    const t2 = performance.now();
    await classifier.classify(image, faces.map((f) => f.box));
    const t3 = performance.now();
    if (r) {
      r.images++;
      r.faces += faces.length;
      r.decodeMs += t1 - t0;
      r.detectMs += t2 - t1;
      r.detectInferenceMs += artInferenceClock.ms - inf0;
      r.classifyMs += t3 - t2;
    }
  };
  if (req.files[0]) await analyse(req.files[0]); // warm-up: kernels compiled, weights uploaded
  send({ type: 'ready' });
  process.once('message', async () => {
    const report: WorkerReport = {
      backend: backend.name,
      images: 0,
      faces: 0,
      startedAt: Date.now(),
      endedAt: 0,
      decodeMs: 0,
      detectMs: 0,
      detectInferenceMs: 0,
      classifyMs: 0,
    };
    for (const file of req.files) await analyse(file, report);
    report.endedAt = Date.now();
    send({ type: 'done', report });
    process.disconnect?.();
  });
});
