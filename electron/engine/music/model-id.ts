/** Identifies the committed music model by its content, so a retrained model re-indexes songs. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { DEFAULT_MODEL_PATH } from './model.ts';
import { EngineError } from '../engine-error.ts';

let cached: string | null = null;

export function musicAnalyserId(): string {
  if (cached) return cached;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(DEFAULT_MODEL_PATH);
  } catch {
    throw new EngineError('failed', `The music-emotion model is missing (${DEFAULT_MODEL_PATH}). Reinstall Portrait Songs or run npm run train:music.`);
  }
  cached = `music-model:${crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;
  return cached;
}
