/**
 * The face CNN trained end to end on FER-2013 (training/faces/cnn/), on ONNX Runtime. The graph
 * already averages its seeds and, where chosen, the mirror image (one session run per batch of
 * faces); what stays here is what models/faces/cnn/cnn.json chose on PublicTest: the 4-class
 * route, and how much of the frozen-feature head (onnx-classifier.ts) is averaged in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FACE_QUADRANTS, FER_LABELS } from '../../../shared/emotion.ts';
import type { Box, DecodedImage, FaceEmotion } from '../types.ts';
import { classifyBoxes, emotionFromProbs, type FaceCropClassifier } from './face-emotion.ts';
import { FER_SIDE, resizeGrey, type GreyImage } from './grey-image.ts';
import { loadOrt, onnxSession } from '../ml/onnx-runtime.ts';
import { loadOnnxFaceClassifier, type OnnxFaceClassifier } from './onnx-classifier.ts';

export const CNN_CONFIG_FORMAT = 'portrait-songs-face-cnn/1';
export const CNN_ROUTES = ['sum7', 'head4', 'mean'] as const;
export type CnnRoute = (typeof CNN_ROUTES)[number];

export interface CnnConfig {
  format: typeof CNN_CONFIG_FORMAT;
  /** sum7: the 4 classes are the 7 expressions summed; head4: the net's 4-class head; mean: both averaged. */
  route: CnnRoute;
  /** Weight of the frozen-feature head's probabilities in the average (0 = the CNN alone). */
  headWeight: number;
  cropMargin: number;
  /**
   * The face's V/A point (which the badge follows) is read from the expressions raised to 1/T and
   * renormalised: label smoothing leaves the net's expressions soft, which pulls the point off the
   * centre. Chosen on PublicTest by the badge's accuracy; the probabilities shown stay as they are.
   */
  vaTemperature: number;
}

/** Milliseconds inside the CNN session in this process (benches read it). */
export const cnnOnnxClock = { ms: 0, faces: 0 };

export function cnnConfigPath(modelsDir: string): string {
  return path.join(modelsDir, 'faces', 'cnn', 'cnn.json');
}

export function readCnnConfig(modelsDir: string): CnnConfig {
  const c = JSON.parse(fs.readFileSync(cnnConfigPath(modelsDir), 'utf8')) as Partial<CnnConfig>;
  if (c.format !== CNN_CONFIG_FORMAT) throw new Error(`cnn.json: unknown format ${String(c.format)}`);
  if (!CNN_ROUTES.includes(c.route as CnnRoute)) throw new Error(`cnn.json: unknown route ${String(c.route)}`);
  if (typeof c.headWeight !== 'number' || !(c.headWeight >= 0 && c.headWeight < 1)) throw new Error('cnn.json: headWeight must be in [0, 1)');
  if (typeof c.cropMargin !== 'number' || !Number.isFinite(c.cropMargin)) throw new Error('cnn.json: cropMargin must be a number');
  if (typeof c.vaTemperature !== 'number' || !(c.vaTemperature > 0 && c.vaTemperature <= 1)) throw new Error('cnn.json: vaTemperature must be in (0, 1]');
  return c as CnnConfig;
}

/** Faces per session run: a portrait's faces are one run; FER evaluation stays within memory. */
const BATCH = 64;

/** The 4 face classes (Q1, Q2, Q3, N) from the 7 FER expressions. */
const EXPR_TO_QUAD = [1, 1, 1, 0, 2, 1, 3];

export class OnnxCnnFaceClassifier implements FaceCropClassifier {
  readonly name = 'Portrait Songs face CNN (ONNX)';
  readonly cropMargin: number;

  constructor(
    readonly config: CnnConfig,
    private readonly head: OnnxFaceClassifier | null,
  ) {
    if (config.headWeight > 0 && !head) throw new Error('cnn.json averages in the face head, which was not loaded');
    this.cropMargin = config.cropMargin;
  }

  classify(image: DecodedImage, boxes: Box[]): Promise<FaceEmotion[]> {
    return classifyBoxes(this, image, boxes);
  }

  /** The graph's 7 expression and 4-class head probabilities for each face, a batch per run. */
  async netProbs(faces: GreyImage[]): Promise<{ expr: Float32Array; quad: Float32Array }> {
    const ort = loadOrt();
    const session = await onnxSession('faceCnn');
    const px = FER_SIDE * FER_SIDE;
    const expr = new Float32Array(faces.length * 7);
    const quad = new Float32Array(faces.length * 4);
    for (let s = 0; s < faces.length; s += BATCH) {
      const part = faces.slice(s, s + BATCH);
      const input = new Float32Array(part.length * px);
      part.forEach((f, k) => input.set((f.side === FER_SIDE ? f : resizeGrey(f, FER_SIDE)).data, k * px));
      const t0 = performance.now();
      const out = await session.run({ face: new ort.Tensor('float32', input, [part.length, FER_SIDE, FER_SIDE, 1]) });
      cnnOnnxClock.ms += performance.now() - t0;
      expr.set(out.expressions!.data as Float32Array, s * 7);
      quad.set(out.classes!.data as Float32Array, s * 4);
    }
    cnnOnnxClock.faces += faces.length;
    return { expr, quad };
  }

  async classifyCrops(faces: GreyImage[]): Promise<FaceEmotion[]> {
    if (faces.length === 0) return [];
    const net = await this.netProbs(faces);
    const w = this.config.headWeight;
    // The head as it ships: mirror-averaged, its 4 classes summed from its 7.
    const heads = w > 0 && this.head ? await this.head.classifyCrops(faces) : null;
    const out: FaceEmotion[] = [];
    for (let k = 0; k < faces.length; k++) {
      const expr = net.expr.slice(k * 7, k * 7 + 7);
      const fromExpr = new Float32Array(4);
      for (let i = 0; i < 7; i++) fromExpr[EXPR_TO_QUAD[i]!]! += expr[i]!;
      const head4 = net.quad.slice(k * 4, k * 4 + 4);
      const quad = new Float32Array(4);
      for (let i = 0; i < 4; i++) {
        const r = this.config.route;
        quad[i] = r === 'sum7' ? fromExpr[i]! : r === 'head4' ? head4[i]! : (fromExpr[i]! + head4[i]!) / 2;
      }
      const h = heads?.[k];
      if (h) {
        const hExpr = FER_LABELS.map((l) => h.expressionProbs[l]);
        const hQuad = FACE_QUADRANTS.map((q) => h.quadrantProbs[q]);
        for (let i = 0; i < 7; i++) expr[i] = (1 - w) * expr[i]! + w * hExpr[i]!;
        for (let i = 0; i < 4; i++) quad[i] = (1 - w) * quad[i]! + w * hQuad[i]!;
      }
      const t = this.config.vaTemperature;
      out.push(emotionFromProbs(expr, quad, t === 1 ? undefined : expr.map((p) => Math.max(0, p) ** (1 / t))));
    }
    return out;
  }
}

export function loadCnnFaceClassifier(modelsDir: string): OnnxCnnFaceClassifier {
  const config = readCnnConfig(modelsDir);
  return new OnnxCnnFaceClassifier(config, config.headWeight > 0 ? loadOnnxFaceClassifier(modelsDir) : null);
}
