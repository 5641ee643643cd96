/**
 * Loads @vladmandic/face-api on the shared @tensorflow/tfjs instance (its node-wasm build
 * works with whichever backend `initBackend` chose) with the weights the package ships.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { initBackend } from '../ml/backend.ts';

const require = createRequire(import.meta.url);

export type FaceApi = typeof import('@vladmandic/face-api');

let loading: Promise<FaceApi> | null = null;

export function faceApiModelDir(): string {
  return path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

export type FaceApiNet = 'ssdMobilenetv1' | 'tinyFaceDetector' | 'faceExpressionNet';

/** Loads face-api once per process with the nets the engine uses. */
export function loadFaceApi(nets: FaceApiNet[] = ['ssdMobilenetv1', 'faceExpressionNet']): Promise<FaceApi> {
  loading ??= (async () => {
    await initBackend();
    return require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  })();
  return loading.then(async (faceapi) => {
    for (const net of nets) {
      if (!faceapi.nets[net].isLoaded) await faceapi.nets[net].loadFromDisk(faceApiModelDir());
    }
    return faceapi;
  });
}
