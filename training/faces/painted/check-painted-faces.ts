/**
 * Step 2 of the painted-face check: the face models read the faces labelled by eye in
 * painted-faces.csv (crop-painted-faces.ts) and are compared with the eye, through the reading
 * the app shows (the badge follows the V/A point: shared/emotion.ts faceReading) and through the
 * model's own 4-class argmax. Nothing here is tuned on these faces; they only score.
 *
 *   node --import tsx training/faces/painted/check-painted-faces.ts [--out models/faces/cnn/painted-check]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { argmax, faceReading, type Quadrant } from '../../../shared/emotion.ts';
import { decodeImage } from '../../../electron/engine/decode/image.ts';
import { ANALYSIS_MAX_SIDE } from '../../../electron/engine/analyse/analyse-portrait.ts';
import { loadCnnFaceClassifier } from '../../../electron/engine/classify/cnn-classifier.ts';
import { loadOnnxFaceClassifier } from '../../../electron/engine/classify/onnx-classifier.ts';
import type { FaceCropClassifier } from '../../../electron/engine/classify/face-emotion.ts';
import type { Box, FaceEmotion } from '../../../electron/engine/types.ts';
import { MODELS, SHARED_DATA } from '../../paths.ts';
import { EYE_TO_QUADRANT, readPaintedFaces, type EyeLabel } from './painted-faces.ts';

const COLUMNS: Quadrant[] = ['Q1', 'Q2', 'Q3', 'Q4', 'N'];
const ROWS = ['happy', 'tense', 'sad', 'neutral'] as const;

export interface PaintedScore {
  model: string;
  faces: number;
  /** Eye label vs the app's badge (from the V/A point). */
  agreement: number;
  /** Eye label vs the model's 4-class argmax. */
  agreementArgmax: number;
  /** Rows: eye label; columns: the app's badge. */
  confusion: Record<(typeof ROWS)[number], Record<Quadrant, number>>;
  /** Of the faces labelled neutral by eye, the share the app calls emotional; and the reverse. */
  neutralCalledEmotional: number;
  emotionalCalledNeutral: number;
  /** Faces whose badge (V/A point) differs from the model's argmax class. */
  badgeDiffersFromArgmax: number;
}

export function scorePainted(model: string, labels: EyeLabel[], readings: FaceEmotion[]): PaintedScore {
  const confusion = Object.fromEntries(ROWS.map((r) => [r, Object.fromEntries(COLUMNS.map((c) => [c, 0]))])) as PaintedScore['confusion'];
  let agree = 0, agreeArg = 0, neutral = 0, neutralEmo = 0, emotional = 0, emoNeutral = 0, differs = 0;
  labels.forEach((label, i) => {
    if (label === 'skip') return;
    const e = readings[i]!;
    const badge = faceReading({ probs: e.quadrantProbs, valence: e.valence, arousal: e.arousal }).quadrant;
    const arg = argmax(e.quadrantProbs);
    const truth = EYE_TO_QUADRANT[label];
    confusion[label][badge]++;
    if (badge === truth) agree++;
    if (arg === truth) agreeArg++;
    if (badge !== arg) differs++;
    if (label === 'neutral') {
      neutral++;
      if (badge !== 'N') neutralEmo++;
    } else {
      emotional++;
      if (badge === 'N') emoNeutral++;
    }
  });
  const n = neutral + emotional;
  return {
    model, faces: n, agreement: agree / n, agreementArgmax: agreeArg / n, confusion,
    neutralCalledEmotional: neutralEmo / Math.max(1, neutral), emotionalCalledNeutral: emoNeutral / Math.max(1, emotional),
    badgeDiffersFromArgmax: differs / n,
  };
}

export function formatPainted(s: PaintedScore): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  const lines = [
    `### ${s.model} — ${s.faces} painted faces`,
    '',
    `Agreement with the eye: **${pct(s.agreement)}** (the app's badge, from the V/A point); ${pct(s.agreementArgmax)} by the model's 4-class argmax.`,
    `Neutral by eye, called emotional: ${pct(s.neutralCalledEmotional)}; emotional by eye, called neutral: ${pct(s.emotionalCalledNeutral)}.`,
    `Badge differs from the model's argmax class: ${pct(s.badgeDiffersFromArgmax)}.`,
    '',
    `| eye ↓ / app's badge → | ${COLUMNS.join(' | ')} | n |`,
    `|---|${COLUMNS.map(() => '---:').join('|')}|---:|`,
    ...ROWS.map((r) => `| ${r} | ${COLUMNS.map((c) => s.confusion[r][c]).join(' | ')} | ${COLUMNS.reduce((a, c) => a + s.confusion[r][c], 0)} |`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: path.join(MODELS, 'faces', 'cnn', 'painted-check') } } });
  const faces = readPaintedFaces();
  if (faces.some((f) => !f.label)) throw new Error('painted-faces.csv has unlabelled faces: label every row (or skip) before any model reads them');
  const models: [string, FaceCropClassifier][] = [
    ['before: frozen-feature head (ONNX)', loadOnnxFaceClassifier(MODELS)],
    ['after: what ships (face CNN, cnn.json)', loadCnnFaceClassifier(MODELS)],
  ];
  const scores: PaintedScore[] = [];
  for (const [name, model] of models) {
    const readings: FaceEmotion[] = [];
    for (const f of faces) {
      const { image, scale } = await decodeImage(path.join(SHARED_DATA, 'portraits', f.file), ANALYSIS_MAX_SIDE);
      const box: Box = [f.x * scale, f.y * scale, f.w * scale, f.h * scale];
      readings.push((await model.classify(image, [box]))[0]!);
    }
    scores.push(scorePainted(name, faces.map((f) => f.label as EyeLabel), readings));
  }
  const md = ['## Painted-face check', '', `Faces: \`training/faces/painted/painted-faces.csv\` (labelled by eye before any model read them; ${faces.filter((f) => f.label === 'skip').length} of ${faces.length} detections skipped as no readable face).`, '', ...scores.map(formatPainted).flatMap((t) => [t, ''])].join('\n');
  fs.writeFileSync(`${values.out}.md`, md);
  fs.writeFileSync(`${values.out}.json`, JSON.stringify(scores, null, 1) + '\n');
  console.log(md);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
