/**
 * CPU ms per face of the shipped face classifier (the CNN with cnn.json's head weight) and of the
 * frozen-feature head alone, one face per call as a portrait's faces come, on one thread.
 *
 *   node --import tsx training/bench/bench-face-classifier.ts [--faces 300]
 */
import { parseArgs } from 'node:util';
import { loadCnnFaceClassifier } from '../../electron/engine/classify/cnn-classifier.ts';
import { loadOnnxFaceClassifier } from '../../electron/engine/classify/onnx-classifier.ts';
import type { FaceCropClassifier } from '../../electron/engine/classify/face-emotion.ts';
import { greyFromBytes } from '../../electron/engine/classify/grey-image.ts';
import { ferImage, loadFer, splitIndices } from '../faces/fer-data.ts';
import { FER_DIR, MODELS } from '../paths.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { faces: { type: 'string', default: '300' } } });
  const fer = loadFer(FER_DIR);
  const faces = splitIndices(fer, 'PrivateTest').slice(0, Number(values.faces)).map((i) => greyFromBytes(ferImage(fer, i)));
  const models: [string, FaceCropClassifier][] = [
    ['shipped (face CNN + head per cnn.json)', loadCnnFaceClassifier(MODELS)],
    ['frozen-feature head alone (before)', loadOnnxFaceClassifier(MODELS)],
  ];
  for (const [name, m] of models) {
    await m.classifyCrops(faces.slice(0, 5));
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const f of faces) await m.classifyCrops([f]);
    const c = process.cpuUsage(c0);
    console.log(`${name}: ${((c.user + c.system) / 1000 / faces.length).toFixed(2)} CPU ms per face, ${((performance.now() - t0) / faces.length).toFixed(2)} ms wall (${faces.length} faces, one at a time; goal ≤ 25)`);
  }
}

await main();
