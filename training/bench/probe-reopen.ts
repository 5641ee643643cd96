/**
 * Probe: where an unchanged portrait folder's re-open goes, through the API as the page calls it
 * (chooseFolder, then listPortraits), with the engine's CPU and RSS around each step.
 *   node --import tsx training/bench/probe-reopen.ts --folder DIR --catalog DIR [--kind portraits|music]
 */
import { apiCall, procCpuSeconds, procMemory, startServe, stopServe } from './scale-app.ts';
import { parseOptions } from './scale-stats.ts';

const { values } = parseOptions(process.argv.slice(2), { values: ['folder', 'catalog', 'kind'], flags: [] });
const kind = values.get('kind') ?? 'portraits';
const served = await startServe(values.get('catalog')!);
try {
  const cpu = () => procCpuSeconds(served.enginePid) ?? 0;
  const step = async (name: string, f: () => Promise<{ ms: number; bytes: number }>) => {
    const c0 = cpu();
    const t0 = performance.now();
    const r = await f();
    console.log(`${name}: ${(performance.now() - t0).toFixed(0)} ms wall, ${((cpu() - c0) * 1000).toFixed(0)} ms engine CPU, ${(r.bytes / 1e6).toFixed(1)} MB; engine RSS ${Math.round(procMemory(served.enginePid)?.rssMB ?? 0)} MB`);
  };
  await step('chooseFolder', () => apiCall(served, 'chooseFolder', { kind, path: values.get('folder') }));
  const list = kind === 'music' ? 'listSongs' : 'listPortraits';
  await step(`${list}`, () => apiCall(served, list, { folder: values.get('folder') }));
  await step(`${list} again`, () => apiCall(served, list, { folder: values.get('folder') }));
  const c0 = cpu();
  await new Promise((r) => setTimeout(r, 5000));
  console.log(`the 5 s after: ${((cpu() - c0) * 1000).toFixed(0)} ms engine CPU`);
} finally {
  await stopServe(served);
}
