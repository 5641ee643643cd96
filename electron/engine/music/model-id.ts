/**
 * Identifies the song-emotion analysis by its content, so that a retrained model, or new musicnn
 * graphs under it, re-index songs.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_MODEL_PATH, defaultMusicModel } from './model.ts';
import { MUSICNN_DIR } from './musicnn.ts';
import { EngineError } from '../engine-error.ts';

let cached: string | null = null;

const digest = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** model.json's digest and, where the model reads musicnn, the manifest's (which names each graph by its sha256). */
export function musicAnalyserId(): string {
  if (cached) return cached;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(DEFAULT_MODEL_PATH);
  } catch {
    throw new EngineError('failed', `The music-emotion model is missing (${DEFAULT_MODEL_PATH}). Reinstall Portrait Songs or run npm run train:music.`);
  }
  const nets = defaultMusicModel().musicnnNets;
  cached = nets.length
    ? `music-model:${digest(bytes)}+musicnn:${nets.join('-')}:${digest(fs.readFileSync(path.join(MUSICNN_DIR, 'manifest.json')))}`
    : `music-model:${digest(bytes)}`;
  return cached;
}
