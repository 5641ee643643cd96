/**
 * Where the committed models live: `models/` at the project root, found by walking up from this
 * file, so it resolves the same from the TypeScript sources (electron/engine/…), the bundled
 * app (dist/electron/…) and inside the packaged asar.
 */
import fs from 'node:fs';
import path from 'node:path';

let cached: string | null = null;

export function modelsDir(): string {
  if (process.env.PORTRAIT_SONGS_MODELS_DIR) return path.resolve(process.env.PORTRAIT_SONGS_MODELS_DIR);
  if (cached) return cached;
  let dir = import.meta.dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'models'))) return (cached = path.join(dir, 'models'));
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`No models folder found above ${import.meta.dirname}`);
    dir = up;
  }
}
