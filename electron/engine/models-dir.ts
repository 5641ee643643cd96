/**
 * The one way every module finds the app's own files: the app root is the first folder above
 * the running code that holds both `package.json` and `models/`. It resolves the same from the
 * TypeScript sources (electron/engine/…), the bundles (dist/electron/…), a worker thread, and
 * inside the packaged asar, where `dist/` and `models/` sit side by side.
 */
import fs from 'node:fs';
import path from 'node:path';

let cachedRoot: string | null = null;

export function appRoot(start = import.meta.dirname): string {
  if (cachedRoot && start === import.meta.dirname) return cachedRoot;
  for (let dir = start; ; ) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'models'))) {
      if (start === import.meta.dirname) cachedRoot = dir;
      return dir;
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`No Portrait Songs app folder (package.json and models/) found above ${start}`);
    dir = up;
  }
}

export function modelsDir(): string {
  if (process.env.PORTRAIT_SONGS_MODELS_DIR) return path.resolve(process.env.PORTRAIT_SONGS_MODELS_DIR);
  return path.join(appRoot(), 'models');
}

/** The shared data beside a development checkout (FER-2013, demo portraits); absent in a package. */
export function sharedDataDir(): string {
  return path.resolve(appRoot(), '..', 'shared', 'data');
}
