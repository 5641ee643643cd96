/**
 * The file a worker thread starts from. Run from TypeScript (tests, the CLI under tsx), that is
 * the worker's `-source.mjs` shim beside the module; bundled, the worker's own bundle beside the
 * engine's, or, for a bundle in a sibling folder of dist/electron (the web server's), the one
 * there.
 */
import fs from 'node:fs';
import path from 'node:path';

export function workerEntry(moduleUrl: string, moduleDir: string, name: string): string {
  if (moduleUrl.endsWith('.ts')) return path.join(moduleDir, `${name}-source.mjs`);
  const beside = path.join(moduleDir, `${name}.js`);
  const electronDist = path.join(moduleDir, '..', 'electron', `${name}.js`);
  return fs.existsSync(beside) || !fs.existsSync(electronDist) ? beside : electronDist;
}
