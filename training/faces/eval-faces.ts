/**
 * Evaluation of face classifiers on FER-2013: each model classifies the same 48×48 crops and
 * gets a scikit-learn-style report on the app's 4 face classes plus its 7-class accuracy.
 * The CLI's `eval-faces` prints formatReport() or the JSON.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cnnConfigPath, loadCnnFaceClassifier } from '../../electron/engine/classify/cnn-classifier.ts';
import { FACE_QUADRANTS, FER_LABELS, FER_TO_QUADRANT } from '../../shared/emotion.ts';
import { loadMiniXceptionClassifier, FaceExpressionNetClassifier } from './baseline-classifiers.ts';
import type { FaceCropClassifier } from '../../electron/engine/classify/face-emotion.ts';
import { ferImage, loadFer, splitIndices, type FerSplit } from './fer-data.ts';
import { greyFromBytes } from '../../electron/engine/classify/grey-image.ts';
import { classificationReport, argmaxIndex, type ClassificationReport } from '../common/metrics.ts';
import { loadTrainedFaceClassifier } from '../../electron/engine/classify/trained-classifier.ts';
import { modelsDir } from '../../electron/engine/models-dir.ts';
import { FER_DIR } from '../paths.ts';

export const DEFAULT_FER_DIR = FER_DIR;

export interface ModelReport {
  model: string;
  /** The app's 4 face classes (Q1, Q2, Q3, N). */
  fourClass: ClassificationReport;
  sevenClass: ClassificationReport;
  accuracy4: number;
  macroF1_4: number;
  accuracy7: number;
  msPerFace: number;
}

export interface FaceEvalReport {
  dataset: 'FER-2013';
  split: FerSplit;
  faces: number;
  /** Whether a subset of the split was used. */
  subset: boolean;
  models: ModelReport[];
}

export interface EvaluateOptions {
  dataDir?: string;
  split?: FerSplit;
  /** FER indices to use (all of the split when absent). */
  indices?: number[];
  /** Defaults to the committed model and the two baselines. */
  models?: FaceCropClassifier[];
  modelsDir?: string;
}

/**
 * What the app runs first (the face CNN on ONNX Runtime, with the head averaged in as cnn.json
 * says), then the frozen-feature head alone (the TF.js fallback's model), then the baselines.
 */
export async function loadDefaultFaceModels(dir = modelsDir()): Promise<FaceCropClassifier[]> {
  const head = await loadTrainedFaceClassifier(dir);
  const cnn = fs.existsSync(cnnConfigPath(dir)) ? [loadCnnFaceClassifier(dir)] : [];
  return [...cnn, head, new FaceExpressionNetClassifier(), await loadMiniXceptionClassifier(path.join(dir, 'faces'))];
}

export async function evaluateFaces(options: EvaluateOptions = {}): Promise<FaceEvalReport> {
  const data = loadFer(options.dataDir ?? DEFAULT_FER_DIR);
  const split = options.split ?? 'PrivateTest';
  const all = splitIndices(data, split);
  const indices = options.indices ?? all;
  const code = ['Training', 'PublicTest', 'PrivateTest'].indexOf(split);
  for (const i of indices) if (data.splits[i] !== code) throw new Error(`FER index ${i} is not in ${split}`);
  const models = options.models ?? (await loadDefaultFaceModels(options.modelsDir));
  const faces = indices.map((i) => greyFromBytes(ferImage(data, i)));
  const truth7 = indices.map((i) => data.labels[i]!);
  const truth4 = truth7.map((y) => FACE_QUADRANTS.indexOf(FER_TO_QUADRANT[FER_LABELS[y]!]));
  const reports: ModelReport[] = [];
  for (const model of models) {
    const t0 = performance.now();
    const out = await model.classifyCrops(faces);
    const ms = (performance.now() - t0) / Math.max(1, faces.length);
    const pred7 = out.map((e) => argmaxIndex(FER_LABELS.map((l) => e.expressionProbs[l])));
    const pred4 = out.map((e) => FACE_QUADRANTS.indexOf(e.quadrant));
    const fourClass = classificationReport(FACE_QUADRANTS, truth4, pred4);
    const sevenClass = classificationReport(FER_LABELS, truth7, pred7);
    reports.push({
      model: model.name,
      fourClass,
      sevenClass,
      accuracy4: fourClass.accuracy,
      macroF1_4: fourClass['macro avg']['f1-score'],
      accuracy7: sevenClass.accuracy,
      msPerFace: Math.round(ms * 100) / 100,
    });
  }
  return { dataset: 'FER-2013', split, faces: indices.length, subset: indices.length !== all.length, models: reports };
}

const pct = (x: number): string => x.toFixed(3);

/** Side-by-side text: headline figures, then per-class F1 on the 4 face classes. */
export function formatReport(report: FaceEvalReport): string {
  const names = report.models.map((m) => m.model);
  const width = Math.max(12, ...names.map((n) => n.length)) + 2;
  const col = (s: string) => s.padStart(width);
  const lines: string[] = [];
  lines.push(`FER-2013 ${report.split}${report.subset ? ' (subset)' : ''}: ${report.faces} faces`);
  lines.push(''.padEnd(22) + names.map(col).join(''));
  const row = (label: string, f: (m: ModelReport) => string) => lines.push(label.padEnd(22) + report.models.map((m) => col(f(m))).join(''));
  row('4-class accuracy', (m) => pct(m.accuracy4));
  row('4-class macro F1', (m) => pct(m.macroF1_4));
  row('4-class weighted F1', (m) => pct(m.fourClass['weighted avg']['f1-score']));
  row('7-class accuracy', (m) => pct(m.accuracy7));
  for (const q of FACE_QUADRANTS) {
    row(`F1 ${q} (n=${report.models[0]?.fourClass.perClass[q]?.support ?? 0})`, (m) => pct(m.fourClass.perClass[q]?.['f1-score'] ?? 0));
  }
  row('ms per face', (m) => m.msPerFace.toFixed(1));
  return lines.join('\n');
}
