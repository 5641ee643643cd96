/**
 * The shipped frozen-feature head's probabilities on FER-2013 PublicTest and PrivateTest, per
 * view (original, mirrored), through the engine's own ONNX classifier, for select-face-cnn.py to
 * weigh the head against (and with) the CNN.
 *
 *   node --import tsx training/faces/cnn/dump-head-probs.ts   → .cache/face-cnn/head-probs.json
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadOnnxFaceClassifier } from '../../../electron/engine/classify/onnx-classifier.ts';
import { flipGrey, greyFromBytes } from '../../../electron/engine/classify/grey-image.ts';
import { ferImage, loadFer, splitIndices } from '../fer-data.ts';
import { FER_DIR, MODELS, REPO } from '../../paths.ts';

const out: Record<string, number[][]> = {};
const fer = loadFer(FER_DIR);
const head = loadOnnxFaceClassifier(MODELS);
for (const [name, split] of [['public', 'PublicTest'], ['private', 'PrivateTest']] as const) {
  const idx = splitIndices(fer, split);
  for (const view of ['orig', 'flip'] as const) {
    const expr: number[][] = [];
    const quad: number[][] = [];
    for (const i of idx) {
      const g = greyFromBytes(ferImage(fer, i));
      const p = await head.probs(view === 'flip' ? flipGrey(g) : g);
      expr.push(Array.from(p.expr));
      quad.push(Array.from(p.quad));
    }
    out[`${name}_${view}_expr`] = expr;
    out[`${name}_${view}_quad`] = quad;
    console.log(name, view, idx.length);
  }
}
const file = path.join(REPO, '.cache', 'face-cnn', 'head-probs.json');
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, JSON.stringify(out));
