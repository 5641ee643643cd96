/**
 * Electron 45 runs the engine on Node 24 (ABI 150) while `npm ci` ran on whatever Node the
 * machine has: only N-API addons load unchanged in both. This walks every `.node` file the
 * shipped engine can reach — the packages its bundles import plus everything the app ships as
 * a runtime dependency, with their own dependencies — and fails on any V8-ABI binary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';

const REPO = path.resolve(import.meta.dirname, '../..');
const META = path.join(REPO, 'dist', 'electron', 'meta.json');

interface Metafile {
  outputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function bundleExternals(meta: Metafile): Set<string> {
  const out = new Set<string>();
  for (const o of Object.values(meta.outputs)) {
    for (const i of o.imports) {
      if (!i.external || i.path.startsWith('node:') || builtinModules.includes(i.path)) continue;
      out.add(packageName(i.path));
    }
  }
  return out;
}

/** Where Node would find `name` from `fromDir`: nested node_modules first, then upwards. */
function resolvePackageDir(name: string, fromDir: string): string | null {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === REPO || path.dirname(dir) === dir) return null;
  }
}

/** Runtime packages reachable from the roots: dependencies and installed optional ones. */
function runtimeClosure(roots: string[]): string[] {
  const seen = new Set<string>();
  const queue = roots.map((name) => ({ name, from: REPO }));
  while (queue.length) {
    const { name, from } = queue.shift()!;
    const dir = resolvePackageDir(name, from);
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) queue.push({ name: dep, from: dir });
  }
  return [...seen];
}

function nodeFilesIn(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    // Nested packages are visited on their own, when something depends on them.
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...nodeFilesIn(full));
    else if (entry.name.endsWith('.node')) out.push(full);
  }
  return out;
}

export type AddonAbi = 'n-api' | 'v8-abi' | 'unknown';

/** The exported registration symbol names the ABI (ELF, Mach-O and PE keep it as plain text). */
export function addonAbi(bytes: Buffer): { abi: AddonAbi; symbol: string | null } {
  const v8 = /node_register_module_v(\d+)/.exec(bytes.toString('latin1'));
  if (v8) return { abi: 'v8-abi', symbol: v8[0] };
  if (bytes.includes('napi_register_module_v1')) return { abi: 'n-api', symbol: 'napi_register_module_v1' };
  return { abi: 'unknown', symbol: null };
}

test('every native addon the shipped engine can load is N-API', (t) => {
  assert.ok(fs.existsSync(META), 'Build first (npm run build): dist/electron/meta.json is missing');
  const meta = JSON.parse(fs.readFileSync(META, 'utf8')) as { engine: Metafile; worker: Metafile; optional: string[] };
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  const shipped = new Set(Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }));

  const externals = new Set([...bundleExternals(meta.engine), ...bundleExternals(meta.worker)]);
  externals.delete('electron');
  // Codecs audio-decode imports lazily and does without; the build records each one it left out.
  for (const name of meta.optional) externals.delete(packageName(name));
  const missing = [...externals].filter((name) => !shipped.has(name));
  assert.deepEqual(missing, [], 'the engine bundles import packages that are not runtime dependencies, so a package would lack them');

  const files = runtimeClosure([...shipped]).flatMap(nodeFilesIn);
  assert.ok(files.length > 0, 'expected at least one native addon (sharp) in the runtime closure');
  const report = files.map((f) => ({ file: path.relative(REPO, f), ...addonAbi(fs.readFileSync(f)) }));
  for (const r of report) t.diagnostic(`${r.abi.padEnd(7)} ${r.symbol ?? '-'}  ${r.file}`);
  const bad = report.filter((r) => r.abi !== 'n-api');
  assert.deepEqual(bad, [], 'native addons that are not N-API will not load in Electron 45 (Node 24, ABI 150)');
});

test('the ABI check tells N-API from V8-ABI binaries', () => {
  assert.equal(addonAbi(Buffer.from('\0napi_register_module_v1\0')).abi, 'n-api');
  assert.deepEqual(addonAbi(Buffer.from('\0node_register_module_v115\0')), { abi: 'v8-abi', symbol: 'node_register_module_v115' });
  assert.equal(addonAbi(Buffer.from('\0just some library\0')).abi, 'unknown');
});
