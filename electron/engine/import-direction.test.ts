/**
 * The app is product, `training/` is the laboratory (issue 21): the lab may import the app, never
 * the other way round, or the runtime would ship (and break with) code it never runs. `scripts/`
 * holds build, start and test helpers that the running app has no business loading either.
 *
 * The graph is read from the sources rather than bundled with esbuild (as no-electron.test.ts
 * does) because esbuild drops type-only imports, cannot read .svelte files without a plugin and
 * does not see the worker files the pools start by path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const REPO = path.resolve(import.meta.dirname, '../..');
const DIST = path.join(REPO, 'dist');
const CODE = /\.(?:[cm]?[jt]s|svelte)$/;
const TEST_FILE = /\.test\.[cm]?[jt]s$/;
const LAB = 'training/';
// Empty on purpose: nothing under electron/, shared/ or renderer/src/ needs a build helper at run time.
const SCRIPTS_THE_RUNTIME_MAY_USE: string[] = [];

const rel = (abs: string) => path.relative(REPO, abs).split(path.sep).join('/');

function codeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const child = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...codeFiles(child));
    else if (CODE.test(entry.name)) out.push(child);
  }
  return out;
}

type Edge = { spec: string; how: string; byPath?: boolean };

const parsed = new Map<string, Edge[]>();
// How the song and portrait pools find their worker files: a path built from the module's own place.
const BY_PATH = /path\.(join|resolve)\(\s*import\.meta\.dirname((?:\s*,\s*(['"])[^'"\n]*\3)+)\s*\)|new URL\(\s*(['"])([^'"\n]+)\4\s*,\s*import\.meta\.url\s*\)/g;

// The pools' and the watcher's worker files, named to jobs/worker-entry.ts: from source, `<name>-source.mjs` beside the caller.
const WORKER_ENTRY = /workerEntry\(\s*import\.meta\.url\s*,\s*import\.meta\.dirname\s*,\s*(['"])([^'"\n]+)\1\s*\)/g;

/** What one file loads: module specifiers, and files it names relative to itself (worker entries). */
function edgesOf(file: string): Edge[] {
  const known = parsed.get(file);
  if (known) return known;
  const text = fs.readFileSync(path.join(REPO, file), 'utf8');
  // A component's imports live in its <script> blocks; the markup cannot import.
  const sources = file.endsWith('.svelte') ? [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '') : [text];
  const edges: Edge[] = [];
  for (const source of sources) {
    // TypeScript's own pre-scan: every import, export-from, import(), import type and require(), not
    // those in comments or strings, and several times faster than a full parse.
    for (const { fileName, pos } of ts.preProcessFile(source, true, true).importedFiles) {
      const before = source.slice(Math.max(0, pos - 16), pos);
      const how = /require\s*\(\s*['"`]?$/.test(before) ? 'require' : /import\s*\(\s*['"`]?$/.test(before) ? 'import()' : 'import';
      edges.push({ spec: fileName, how });
    }
    for (const m of source.matchAll(WORKER_ENTRY)) edges.push({ spec: `./${m[2]}-source.mjs`, how: 'workerEntry(import.meta.dirname)', byPath: true });
    for (const m of source.matchAll(BY_PATH)) {
      if (m[1]) edges.push({ spec: path.join(...[...m[2]!.matchAll(/(['"])([^'"\n]*)\1/g)].map((p) => p[2]!)), how: `path.${m[1]}(import.meta.dirname)`, byPath: true });
      else edges.push({ spec: m[5]!, how: 'new URL(import.meta.url)', byPath: true });
    }
  }
  parsed.set(file, edges);
  return edges;
}

/** The repo file a specifier names; null for packages and node built-ins, undefined when nothing matches. */
function resolve(from: string, edge: Edge): string | null | undefined {
  const spec = edge.spec.replace(/[?#].*$/, '');
  if (!edge.byPath && !spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(path.join(REPO, from)), spec);
  // A path built at run time may name a folder, or a file only the bundled layout has: still an edge.
  if (edge.byPath) return rel(base);
  const candidates = [base, base.replace(/\.([cm]?)js$/, '.$1ts'), ...['.ts', '.mts', '.js', '.mjs', '.svelte', '/index.ts', '/index.js'].map((x) => base + x)];
  const hit = candidates.find((c) => fs.statSync(c, { throwIfNoEntry: false })?.isFile());
  return hit === undefined ? undefined : rel(hit);
}

type Reach = { violations: string[]; unresolved: string[]; reached: Map<string, { from: string; how: string } | null> };

/** Everything the entries load, breadth first, stopping at (and reporting) any file under a forbidden root. */
function reach(entries: string[], forbidden: (file: string) => boolean): Reach {
  const reached: Reach['reached'] = new Map(entries.map((e) => [e, null]));
  const queue = [...entries];
  const violations: string[] = [];
  const unresolved: string[] = [];
  const chain = (file: string): string => {
    const steps = [file];
    for (let at = reached.get(file); at; at = reached.get(at.from)) steps.unshift(`${at.from} —${at.how}→`);
    return steps.join(' ');
  };
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (forbidden(file)) {
      violations.push(chain(file));
      continue;
    }
    if (!CODE.test(file) || !fs.existsSync(path.join(REPO, file))) continue;
    for (const edge of edgesOf(file)) {
      const target = resolve(file, edge);
      if (target === null) continue;
      if (target === undefined) unresolved.push(`${file}: ${edge.how} '${edge.spec}'`);
      else if (!reached.has(target)) {
        reached.set(target, { from: file, how: edge.how });
        queue.push(target);
      }
    }
  }
  return { violations, unresolved, reached };
}

const RUNTIME = [...codeFiles('electron').filter((f) => !TEST_FILE.test(f)), ...codeFiles('shared'), ...codeFiles('renderer/src')];
const outsideRuntime = (f: string) => f.startsWith(LAB) || (f.startsWith('scripts/') && !SCRIPTS_THE_RUNTIME_MAY_USE.includes(f));

test('the runtime (electron/, shared/, renderer/src/) loads nothing from training/ or scripts/', () => {
  const { violations, unresolved } = reach(RUNTIME, outsideRuntime);
  // An import the walker cannot resolve is one it cannot check.
  assert.deepEqual(unresolved, [], 'relative imports that name no file');
  assert.deepEqual(violations, [], `the runtime reaches the lab:\n  ${violations.join('\n  ')}`);
});

test('e2e/ loads nothing from training/', () => {
  const { violations, unresolved } = reach(codeFiles('e2e'), (f) => f.startsWith(LAB));
  assert.deepEqual(unresolved, [], 'relative imports that name no file');
  assert.deepEqual(violations, [], `e2e reaches the lab:\n  ${violations.join('\n  ')}`);
});

test('the walker follows the edges the runtime uses: worker files, dynamic imports, svelte scripts', () => {
  const none = () => false;
  for (const [pool, source, worker] of [
    ['electron/engine/analyse/portrait-pool.ts', 'electron/engine/analyse/portrait-worker-source.mjs', 'electron/engine/analyse/portrait-worker.ts'],
    ['electron/engine/music/worker-pool.ts', 'electron/engine/music/song-worker-source.mjs', 'electron/engine/music/song-worker.ts'],
    ['electron/engine/watch/threaded-watch.ts', 'electron/engine/watch/watch-worker-source.mjs', 'electron/engine/watch/watch-worker.ts'],
  ] as const) {
    assert.match(reach([pool], none).reached.get(source)?.how ?? 'not reached', /import\.meta\.dirname/, `${pool} starts ${source}`);
    assert.equal(reach([source], none).reached.get(worker)?.how, 'import()', `${source} imports ${worker}`);
  }
  const { reached } = reach(['renderer/src/main.ts'], none);
  assert.ok([...reached.keys()].some((f) => f.startsWith('shared/') && reached.get(f)?.from.endsWith('.svelte')), 'a .svelte script led to shared/');
});

test('the check itself sees training/ importing the engine, with the chain', () => {
  const lab = codeFiles('training').filter((f) => !TEST_FILE.test(f));
  const { violations } = reach(lab, (f) => f.startsWith('electron/engine/'));
  assert.ok(violations.length > 0, 'training/ uses the engine');
  assert.match(violations[0]!, /^training\/\S+ —[^→]+→ electron\/engine\//);
});

// --- what the build shipped -------------------------------------------------------------------

function distFiles(dir = DIST): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? distFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/**
 * Every source file that went into dist/, from three records the build already writes: esbuild's
 * metafiles (dist/electron/meta.json), every source map's `sources` (the only record vite keeps of
 * the renderer), and the `// path` markers esbuild puts before each module in unminified bundles.
 * A plain search for "training/" would not do: doc comments name training scripts, and source maps
 * carry those comments.
 */
function shippedSources(): Map<string, string> {
  const shipped = new Map<string, string>();
  const meta = path.join(DIST, 'electron/meta.json');
  if (fs.existsSync(meta)) {
    for (const [name, build] of Object.entries(JSON.parse(fs.readFileSync(meta, 'utf8')) as Record<string, { inputs?: Record<string, unknown> }>)) {
      for (const input of Object.keys(build?.inputs ?? {})) shipped.set(input, `meta.json ${name}`);
    }
  }
  for (const file of distFiles()) {
    if (file.endsWith('.map')) {
      const map = JSON.parse(fs.readFileSync(file, 'utf8')) as { sources?: string[]; sourceRoot?: string };
      for (const s of map.sources ?? []) shipped.set(rel(path.resolve(path.dirname(file), map.sourceRoot ?? '', s)), rel(file));
    } else if (/\.[cm]?js$/.test(file)) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/^\/\/ (\S+\.(?:[cm]?[jt]s|svelte|json))$/gm)) shipped.set(m[1]!, rel(file));
    }
  }
  return shipped;
}

test('no training/ or scripts/ module is in the dist bundles', (t) => {
  if (!fs.existsSync(DIST)) {
    const why = 'dist/ is absent: `npm run build` (which `npm test` runs first) makes it';
    console.log(`skipped: ${why}`);
    t.skip(why);
    return;
  }
  assert.ok(fs.existsSync(path.join(DIST, 'electron/meta.json')), 'scripts/build-electron.mjs writes dist/electron/meta.json; rebuild');
  const shipped = shippedSources();
  // Without these the records were not read, and an empty list of offenders would prove nothing.
  for (const must of ['electron/engine/engine.ts', 'electron/engine/host/utility-entry.ts', 'electron/web/serve-main.ts', 'renderer/src/main.ts']) {
    assert.ok(shipped.has(must), `${must} is recorded as shipped`);
  }
  const offenders = [...shipped].filter(([src]) => outsideRuntime(src)).map(([src, where]) => `${src} (in ${where})`);
  assert.deepEqual(offenders, [], 'lab or build-helper sources in dist/');
});

test('bundle bytes (for the record)', (t) => {
  if (!fs.existsSync(DIST)) {
    console.log('skipped: no dist/ to measure');
    t.skip('dist/ is absent');
    return;
  }
  const fmt = (n: number) => n.toLocaleString('en');
  for (const dir of ['electron', 'web', 'renderer']) {
    const files = fs.existsSync(path.join(DIST, dir)) ? distFiles(path.join(DIST, dir)) : [];
    const bytes = (pick: (f: string) => boolean) => files.filter(pick).reduce((sum, f) => sum + fs.statSync(f).size, 0);
    const code = bytes((f) => /\.[cm]?js$/.test(f));
    const maps = bytes((f) => f.endsWith('.map'));
    console.log(`dist/${dir}: ${fmt(code)} bytes of bundles, ${fmt(maps)} of source maps, ${fmt(bytes(() => true))} in all`);
  }
});
