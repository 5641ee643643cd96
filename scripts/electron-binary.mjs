// Finds the Electron executable without requiring the `electron` package (whose index throws
// when its binary is missing). With `download`, a missing binary is fetched once through the
// package's own installer; where that cannot reach Electron's downloads it answers null with
// the reason, so callers can fall back (npm start → browser mode) or skip (the smoke test).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const PKG = path.join(ROOT, 'node_modules', 'electron');

function installed() {
  const pathFile = path.join(PKG, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const bin = path.join(PKG, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(bin) ? bin : null;
}

/** @returns {{ path: string, reason: null } | { path: null, reason: string }} */
export function findElectronBinary({ download = true, timeoutMs = 120_000 } = {}) {
  if (!fs.existsSync(path.join(PKG, 'package.json'))) return { path: null, reason: 'the electron package is not installed (run npm ci)' };
  const found = installed();
  if (found) return { path: found, reason: null };
  if (!download) return { path: null, reason: 'the Electron binary has not been downloaded' };
  const r = spawnSync(process.execPath, [path.join(PKG, 'install.js')], { cwd: PKG, encoding: 'utf8', timeout: timeoutMs });
  const after = installed();
  if (after) return { path: after, reason: null };
  const lines = `${r.stderr ?? ''}`.split('\n').map((l) => l.trim());
  const why = r.error?.message ?? lines.find((l) => /error|failed/i.test(l) && !l.startsWith('at ')) ?? `installer exited with ${r.status}`;
  return { path: null, reason: `the Electron binary could not be downloaded (${why})` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = findElectronBinary();
  console.log(r.path ?? `none: ${r.reason}`);
  process.exit(r.path ? 0 : 1);
}
