/**
 * face-api's FER-trained expression net: its frozen 256-d feature extractor (a DenseNet-style
 * trunk, 112×112 RGB input) and, for the baseline, its own 7-way softmax. Loads
 * @vladmandic/face-api's node-wasm build, which runs on whichever backend the caller set up.
 */
import * as tf from '@tensorflow/tfjs';
import { FER_LABELS, type FerLabel } from '../../../shared/emotion.ts';
import type { GreyImage } from './grey-image.ts';
import { loadFaceApi, type FaceApi } from '../faces/face-api.ts';

export type { FaceApi };

export const FACE_API_FEATURES = 256;

export function loadFaceApiExpressionNet(): Promise<FaceApi> {
  return loadFaceApi(['faceExpressionNet']);
}

/** Grey faces as the 3-D RGB tensors face-api's NetInput wants (it resizes them to 112). */
function rgbTensors(faces: GreyImage[]): tf.Tensor3D[] {
  return faces.map((f) => {
    const g = tf.tensor3d(f.data, [f.side, f.side, 1], 'float32');
    const rgb = tf.tile(g, [1, 1, 3]) as tf.Tensor3D;
    g.dispose();
    return rgb;
  });
}

/** 256-d features per face: face-api's expression trunk, frozen. */
export async function faceApiFeatures(faces: GreyImage[]): Promise<Float32Array> {
  if (faces.length === 0) return new Float32Array(0);
  const faceapi = await loadFaceApiExpressionNet();
  const inputs = rgbTensors(faces);
  try {
    const netInput = await faceapi.toNetInput(inputs as unknown as Parameters<typeof faceapi.toNetInput>[0]);
    const out = tf.tidy(() => {
      const feats = faceapi.nets.faceExpressionNet.faceFeatureExtractor.forwardInput(netInput) as unknown as tf.Tensor;
      return feats.reshape([faces.length, FACE_API_FEATURES]);
    });
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return data;
  } finally {
    tf.dispose(inputs);
  }
}

/** face-api names two labels differently from FER-2013. */
const FACE_API_ORDER: Record<FerLabel, string> = {
  angry: 'angry',
  disgust: 'disgusted',
  fear: 'fearful',
  happy: 'happy',
  sad: 'sad',
  surprise: 'surprised',
  neutral: 'neutral',
};

/** The shipped net's own 7 expression probabilities, in FER_LABELS order. */
export async function faceApiExpressionProbs(faces: GreyImage[]): Promise<Float32Array[]> {
  if (faces.length === 0) return [];
  const faceapi = await loadFaceApiExpressionNet();
  const net = faceapi.nets.faceExpressionNet;
  const labels = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'];
  const inputs = rgbTensors(faces);
  try {
    const netInput = await faceapi.toNetInput(inputs as unknown as Parameters<typeof faceapi.toNetInput>[0]);
    // forwardInput already ends in a softmax (predictExpressions does no more than this).
    const probs = tf.tidy(() => net.forwardInput(netInput) as unknown as tf.Tensor2D);
    const flat = (await probs.data()) as Float32Array;
    probs.dispose();
    return faces.map((_, k) => {
      const row = flat.subarray(k * 7, k * 7 + 7);
      return Float32Array.from(FER_LABELS.map((l) => row[labels.indexOf(FACE_API_ORDER[l])]!));
    });
  } finally {
    tf.dispose(inputs);
  }
}
