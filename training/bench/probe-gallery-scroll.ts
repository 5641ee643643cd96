/**
 * Probe: the gallery's (or, with --music, the song table's) scroll frames on an analysed folder,
 * with optional CSS put on the page and a Chromium trace summarised by thread, to see where a
 * frame's time goes.
 *   node --import tsx training/bench/probe-gallery-scroll.ts --folder DIR --catalog DIR [--css '...'] [--trace] [--step 240]
 *   node --import tsx training/bench/probe-gallery-scroll.ts --music DIR --catalog DIR [--count 5000] [--settle 15]
 */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { procCpuSeconds, statCpuSeconds } from './scale-app.ts';
import { chromium } from 'playwright';
import { CHROMIUM_ARGS } from '../../e2e/harness/launch.ts';
import { chromiumExecutable } from '../../e2e/harness/chromium-path.ts';
import { apiCall, startServe, stopServe } from './scale-app.ts';
import { answerPicker, mainThreadTimes, perFrame, scrollEndToEnd } from './scale-page.ts';
import { parseOptions, summariseFrames } from './scale-stats.ts';

const { values, flags } = parseOptions(process.argv.slice(2), { values: ['folder', 'music', 'settle', 'catalog', 'css', 'js', 'step', 'count', 'passes', 'dpr', 'frames'], flags: ['trace', 'profile'] });
const music = values.get('music');
const folder = music ?? values.get('folder')!;
const target = music ? '[data-testid=song-body]' : '[data-testid=gallery]';
const catalog = values.get('catalog')!;
const step = Number(values.get('step') ?? 240);
const served = await startServe(catalog);
await apiCall(served, 'setFaceSearch', { mode: 'quick' });
const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: Number(values.get('dpr') ?? 1) });
  await context.addInitScript('globalThis.__name = globalThis.__name || ((f) => f);');
  if (values.get('js')) await context.addInitScript(values.get('js')!);
  const page = await context.newPage();
  page.setDefaultTimeout(1_800_000);
  await page.goto(served.url);
  await page.getByTestId('empty-state').waitFor();
  await page.keyboard.press(music ? 'Control+Shift+O' : 'Control+o');
  await answerPicker(page, folder, music ? 'music' : 'portraits');
  const n = values.get('count');
  const t0 = Date.now();
  if (music) await page.waitForFunction((n) => Number(document.querySelector('[data-testid=song-table]')?.getAttribute('data-rows')) >= Number(n ?? 1), n, { polling: 500 });
  else await page.waitForFunction((n) => {
    const label = document.querySelector('[data-testid=gallery]')?.getAttribute('aria-label') ?? '';
    return n ? label.startsWith(`Portraits, ${n} shown`) : /Portraits, \d+ shown/.test(label);
  }, n, { polling: 500 });
  // Wait until no job is running (the progress panel gone) so the engine is idle.
  await page.waitForFunction(() => !document.querySelector('[data-testid=progress-panel]'), null, { polling: 1000 });
  console.log(`${music ? 'song table' : 'gallery'} ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (values.get('css')) await page.addStyleTag({ content: values.get('css')! });
  // The folder's watcher starts a few seconds after its opening scan and crawls the folder: --settle waits it out.
  await page.waitForTimeout(Number(values.get('settle') ?? 1.5) * 1000);
  const cdp = await page.context().newCDPSession(page);
  const chromiumPids = (): string[] => execFileSync('pgrep', ['-f', 'chromium'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const chromiumCpu = (): number => chromiumPids().reduce((a, pid) => a + (procCpuSeconds(Number(pid)) ?? 0), 0);
  // CPU seconds per (process type, thread name) of every Chromium process, to see where a frame's work runs.
  const threadCpu = (): Map<string, number> => {
    const out = new Map<string, number>();
    for (const pid of chromiumPids()) {
      try {
        const type = /--type=([\w-]+)/.exec(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '))?.[1] ?? 'browser';
        for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
          const key = `${type}/${fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim().replace(/\d+$/, '#')}`;
          out.set(key, (out.get(key) ?? 0) + (statCpuSeconds(`/proc/${pid}/task/${tid}/stat`) ?? 0));
        }
      } catch { /* a process or thread that ended meanwhile */ }
    }
    return out;
  };
  const passes = Number(values.get('passes') ?? 2);
  for (let pass = 1; pass <= passes; pass++) {
    const c0 = chromiumCpu();
    const s0 = [procCpuSeconds(served.child.pid!) ?? 0, procCpuSeconds(served.enginePid) ?? 0];
    const t0cpu = threadCpu();
    if (flags.has('trace') && pass === 2) await browser.startTracing(page, { categories: ['toplevel', 'cc', 'viz', 'gpu', 'blink', 'disabled-by-default-devtools.timeline', 'benchmark'] });
    if (flags.has('profile') && pass === 2) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const m0 = await mainThreadTimes(cdp);
    const r = await scrollEndToEnd(page, target, step, Number(values.get('frames') ?? 50_000));
    if (flags.has('profile') && pass === 2) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[]; samples: number[]; timeDeltas: number[] } };
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const self = new Map<string, number>();
      profile.samples.forEach((id, i) => {
        const n = byId.get(id)!;
        const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
        self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
      });
      const frames = r.deltas.length;
      for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  js ${(v / frames).toFixed(2)} ms/frame ${k}`);
    }
    const work = perFrame(m0, await mainThreadTimes(cdp), r.deltas.length);
    const f = summariseFrames(r.deltas);
    console.log(`pass ${pass}: p50 ${f.p50} p95 ${f.p95} max ${f.max} frames ${f.frames} over20 ${f.over20} stalls>1s ${r.deltas.filter((d) => d > 1000).length} in ${r.seconds.toFixed(0)} s${r.froze ? ' FROZE' : ''}; chromium CPU ${((chromiumCpu() - c0) * 1000 / r.deltas.length).toFixed(1)} ms/frame; web server ${(((procCpuSeconds(served.child.pid!) ?? 0) - s0[0]!) * 1000 / r.deltas.length).toFixed(1)}, engine ${(((procCpuSeconds(served.enginePid) ?? 0) - s0[1]!) * 1000 / r.deltas.length).toFixed(1)} ms/frame; main/frame ${JSON.stringify(work)}`);
    const t1cpu = threadCpu();
    const perThread = [...t1cpu].map(([k, v]) => [k, ((v - (t0cpu.get(k) ?? 0)) * 1000) / r.deltas.length] as const).filter(([, v]) => v >= 0.3).sort((a, b) => b[1] - a[1]);
    console.log(`  threads ms/frame: ${perThread.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
    if (flags.has('trace') && pass === 2) {
      const buf = await browser.stopTracing();
      fs.writeFileSync('/tmp/gallery-trace.json', buf);
      const events = (JSON.parse(buf.toString()) as { traceEvents: { name: string; ph: string; dur?: number; tid: number; pid: number; args?: { name?: string } }[] }).traceEvents;
      const threadName = new Map<string, string>();
      for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
      const byThread = new Map<string, Map<string, number>>();
      for (const e of events) {
        if (e.ph !== 'X' || !e.dur) continue;
        const t = threadName.get(`${e.pid}:${e.tid}`) ?? String(e.tid);
        const m = byThread.get(t) ?? new Map<string, number>();
        m.set(e.name, (m.get(e.name) ?? 0) + e.dur / 1000);
        byThread.set(t, m);
      }
      for (const [t, m] of byThread) {
        const top = [...m].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${(v / r.deltas.length).toFixed(1)}`);
        console.log(`  ${t}: ${top.join(' | ')}`);
      }
    }
  }
} finally {
  await browser.close();
  await stopServe(served);
}
