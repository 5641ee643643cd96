/**
 * The shipped face-emotion model on ONNX Runtime: the whole of TrainedFaceClassifier (both
 * feature extractors, standardisation, head) is one exported graph (training/faces/onnx/export-onnx.ts);
 * what stays here is the part that is not a tensor op: the mirror-image averaging and the
 * choice of the 4-class route, read from the same head.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Box, DecodedImage, FaceEmotion } from '../types.ts';
import type { HeadConfig } from './emotion-head.ts';
import { classifyBoxes, emotionFromProbs, type FaceCropClassifier } from './face-emotion.ts';
import { FER_SIDE, flipGrey, resizeGrey, type GreyImage } from './grey-image.ts';
import { loadOrt, onnxSession } from '../ml/onnx-runtime.ts';

/** Milliseconds inside the classifier session in this process (benches read it). */
export const classifierOnnxClock = { ms: 0 };

export class OnnxFaceClassifier implements FaceCropClassifier {
  readonly name = 'Portrait Songs face head (ONNX)';
  readonly cropMargin: number;

  constructor(private readonly config: HeadConfig) {
    this.cropMargin = config.cropMargin;
  }

  classify(image: DecodedImage, boxes: Box[]): Promise<FaceEmotion[]> {
    return classifyBoxes(this, image, boxes);
  }

  /** 7 expression and 4 class probabilities of one view. */
  async probs(face: GreyImage): Promise<{ expr: Float32Array; quad: Float32Array }> {
    const ort = loadOrt();
    const session = await onnxSession('classifier');
    const input = face.side === FER_SIDE ? face : resizeGrey(face, FER_SIDE);
    const t0 = performance.now();
    const out = await session.run({ face: new ort.Tensor('float32', input.data, [1, FER_SIDE, FER_SIDE, 1]) });
    classifierOnnxClock.ms += performance.now() - t0;
    return { expr: out.expressions!.data as Float32Array, quad: out.classes!.data as Float32Array };
  }

  async classifyCrops(faces: GreyImage[]): Promise<FaceEmotion[]> {
    const out: FaceEmotion[] = [];
    for (const face of faces) {
      const views = this.config.flipTta ? [face, flipGrey(face)] : [face];
      const expr = new Float32Array(7);
      const quad = new Float32Array(4);
      for (const v of views) {
        const p = await this.probs(v);
        for (let i = 0; i < 7; i++) expr[i]! += p.expr[i]! / views.length;
        for (let i = 0; i < 4; i++) quad[i]! += p.quad[i]! / views.length;
      }
      out.push(emotionFromProbs(expr, this.config.quadrantSource === 'head' ? quad : undefined));
    }
    return out;
  }
}

export function loadOnnxFaceClassifier(modelsDir: string): OnnxFaceClassifier {
  const config = JSON.parse(fs.readFileSync(path.join(modelsDir, 'faces', 'head', 'head.json'), 'utf8')) as HeadConfig;
  if (config.format !== 'portrait-songs-face-head/1') throw new Error(`head.json: unknown format ${String(config.format)}`);
  return new OnnxFaceClassifier(config);
}
