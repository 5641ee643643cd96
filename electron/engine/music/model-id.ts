/**
 * Identifies the song-emotion analysis by its content, so that a retrained model, or a change
 * in whether the song CNN runs (song-cnn.ts), re-indexes songs.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { DEFAULT_MODEL_PATH } from './model.ts';
import { CNN_JSON_PATH } from './song-cnn.ts';
import { EngineError } from '../engine-error.ts';

const cached = new Map<boolean, string>();

const digest = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/**
 * `withCnn`: whether songs are analysed with the CNN ensemble (songCnn() gave a network);
 * cnn.json names the ONNX graph by its sha256, so its digest covers the graph too.
 */
export function musicAnalyserId(withCnn: boolean): string {
  const hit = cached.get(withCnn);
  if (hit) return hit;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(DEFAULT_MODEL_PATH);
  } catch {
    throw new EngineError('failed', `The music-emotion model is missing (${DEFAULT_MODEL_PATH}). Reinstall Portrait Songs or run npm run train:music.`);
  }
  const id = withCnn ? `music-model:${digest(bytes)}+cnn:${digest(fs.readFileSync(CNN_JSON_PATH))}` : `music-model:${digest(bytes)}`;
  cached.set(withCnn, id);
  return id;
}
