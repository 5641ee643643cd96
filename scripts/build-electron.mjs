// Bundles the Electron main process, the preload script and the engine's utility-process
// entry. Packages stay external: native modules load from node_modules (asar-unpacked).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({ ...common, entryPoints: { main: 'electron/shell/main.ts' }, outdir: 'dist/electron', format: 'esm', external: ['electron'] }),
  build({
    ...common,
    entryPoints: { 'engine-process': 'electron/engine/host/utility-entry.ts', 'song-worker': 'electron/engine/music/song-worker.ts' },
    outdir: 'dist/electron',
    format: 'esm',
  }),
  // A sandboxed preload cannot be an ES module.
  build({ ...common, entryPoints: ['electron/shell/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] }),
]);
