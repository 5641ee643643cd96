// Bundles the Electron main process, the preload script and the engine's utility-process
// entry. Packages stay external: native modules load from node_modules (asar-unpacked).
// Each build's metafile is kept beside its bundles so tests can see which packages ship.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning', metafile: true };

// Packages with native or wasm parts load from node_modules (unpacked from the asar); the song
// and portrait workers bundle their pure-JS dependencies so a worker thread inside the asar resolves nothing.
const NATIVE = ['sharp', 'libsql', 'onnxruntime-node', '@tensorflow/*', 'electron'];

// audio-decode imports each codec lazily and copes with one that is not installed: leave
// those imports as they are instead of failing the build.
const leftOptional = new Set();
const optionalCodecs = {
  name: 'optional-codecs',
  setup(b) {
    b.onResolve({ filter: /^@audio\/decode-/ }, (args) => {
      try {
        createRequire(path.join(args.resolveDir, 'x.js')).resolve(args.path);
        return undefined;
      } catch {
        leftOptional.add(args.path);
        return { path: args.path, external: true };
      }
    });
  },
};

const [shell, engine, worker, web, preload] = await Promise.all([
  build({ ...common, entryPoints: { main: 'electron/shell/main.ts' }, outdir: 'dist/electron', format: 'esm', external: ['electron'] }),
  build({ ...common, entryPoints: { 'engine-process': 'electron/engine/host/utility-entry.ts' }, outdir: 'dist/electron', format: 'esm' }),
  build({
    ...common,
    packages: undefined,
    external: NATIVE,
    plugins: [optionalCodecs],
    entryPoints: { 'song-worker': 'electron/engine/music/song-worker.ts', 'portrait-worker': 'electron/engine/analyse/portrait-worker.ts', 'watch-worker': 'electron/engine/watch/watch-worker.ts' },
    outdir: 'dist/electron',
    format: 'esm',
    // Bundled CommonJS dependencies still call require(): give the ESM bundle one.
    banner: { js: "import { createRequire as __psCreateRequire } from 'node:module'; const require = __psCreateRequire(import.meta.url);" },
  }),
  // Browser mode (npm start without Electron, `portrait-songs serve`): one more host of the same engine bundle.
  build({ ...common, entryPoints: { serve: 'electron/web/serve-main.ts' }, outdir: 'dist/web', format: 'esm' }),
  // A sandboxed preload cannot be an ES module.
  build({ ...common, entryPoints: ['electron/shell/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] }),
]);
// The Node host of the engine gives its child Electron's `process.parentPort` with this shim.
fs.copyFileSync('electron/engine/host/parent-port-shim.mjs', 'dist/web/parent-port-shim.mjs');
fs.writeFileSync('dist/electron/meta.json', JSON.stringify({ shell: shell.metafile, engine: engine.metafile, worker: worker.metafile, web: web.metafile, preload: preload.metafile, optional: [...leftOptional] }));
