/**
 * What the scale bench does inside the page (Chromium, browser mode), as a person would: pick
 * folders in the in-app picker, scroll the gallery and the song table end to end one step per
 * frame while recording requestAnimationFrame deltas, switch the playlist's goal and time it
 * to the next painted frame, export, and read the JS heap (CDP Runtime.getHeapUsage).
 */
import type { CDPSession, Page } from 'playwright';

/** Answers the in-app folder picker (opened by the caller) with `folder`; resolves when "Choose" was clicked. */
export async function answerPicker(page: Page, folder: string, purpose: 'portraits' | 'music' | 'export'): Promise<number> {
  const picker = page.locator(`[data-testid=folder-picker][data-ready=true][data-purpose=${purpose}]`);
  await picker.waitFor({ timeout: 60_000 });
  await picker.getByTestId('folder-picker-path').fill(folder);
  const t0 = performance.now();
  await picker.getByTestId('folder-picker-choose').click();
  return t0;
}

export interface ScrollResult {
  deltas: number[];
  maxNodes: number;
  endNodes: number;
  scrollHeight: number;
  reachedEnd: boolean;
  seconds: number;
  /** No frame came for FREEZE_MS (the run ends there): the page froze, not merely slowed. */
  froze: boolean;
}

/** No frame for this long, with timers still running, counts as a frozen compositor. */
export const FREEZE_MS = 10_000;

/**
 * Scrolls `selector` from top to bottom by `step` px each frame; records the time between
 * successive requestAnimationFrame callbacks (the first, before any scrolling, is dropped)
 * and the page's element count every 10 frames.
 */
export function scrollEndToEnd(page: Page, selector: string, step: number, maxFrames: number): Promise<ScrollResult> {
  return page.evaluate(
    ({ selector, step, maxFrames, freezeMs }) =>
      new Promise<ScrollResult>((resolve, reject) => {
        const el = document.querySelector<HTMLElement>(selector);
        if (!el) return reject(new Error(`${selector} is not on the page`));
        el.scrollTop = 0;
        const deltas: number[] = [];
        let maxNodes = 0;
        const t0 = performance.now();
        let last = 0;
        let lastFrameAt = performance.now();
        let done = false;
        const finish = (froze: boolean) => {
          done = true;
          clearInterval(watchdog);
          const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
          const endNodes = document.querySelectorAll('*').length;
          resolve({ deltas, maxNodes: Math.max(maxNodes, endNodes), endNodes, scrollHeight: el.scrollHeight, reachedEnd: atEnd, seconds: (performance.now() - t0) / 1000, froze });
        };
        // Timers run on the main thread, frames need the compositor too: a timer that sees no
        // frame for FREEZE_MS ends the run instead of waiting for a frame that never comes.
        const watchdog = setInterval(() => {
          if (!done && performance.now() - lastFrameAt > freezeMs) finish(true);
        }, 1000);
        const tick = (now: number) => {
          if (done) return;
          lastFrameAt = performance.now();
          deltas.push(now - last);
          last = now;
          if (deltas.length % 10 === 0) maxNodes = Math.max(maxNodes, document.querySelectorAll('*').length);
          const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
          if (atEnd || deltas.length >= maxFrames) return finish(false);
          el.scrollTop += step;
          requestAnimationFrame(tick);
        };
        // Two frames to settle after the jump to the top; the first delta is then from a real frame.
        requestAnimationFrame(() =>
          requestAnimationFrame((t) => {
            last = t;
            el.scrollTop += step;
            requestAnimationFrame(tick);
          }),
        );
      }),
    { selector, step, maxFrames, freezeMs: FREEZE_MS },
  );
}

/**
 * A passive frame monitor: a requestAnimationFrame loop that records every frame's delta until
 * stopped, to see whether the page stalls while the engine streams rows into it.
 */
export async function startFrameMonitor(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __benchFrames?: { deltas: number[]; on: boolean } };
    const state = { deltas: [] as number[], on: true };
    w.__benchFrames = state;
    let last = performance.now();
    const tick = (now: number) => {
      if (!state.on) return;
      state.deltas.push(now - last);
      last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame((t) => {
      last = t;
      requestAnimationFrame(tick);
    });
  });
}

export async function stopFrameMonitor(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __benchFrames?: { deltas: number[]; on: boolean } };
    if (!w.__benchFrames) return [];
    w.__benchFrames.on = false;
    return w.__benchFrames.deltas;
  });
}

/**
 * Sets the playlist's goal as the select does, and times it until the frame after the change
 * was drawn (the change's synchronous work and Svelte's flush, then a rAF, then a task).
 */
export function timeGoalChange(page: Page, goal: string): Promise<number> {
  return page.evaluate(
    (goal) =>
      new Promise<number>((resolve, reject) => {
        const sel = document.querySelector<HTMLSelectElement>('select[aria-label="Matching goal"]');
        if (!sel) return reject(new Error('no goal select'));
        const t0 = performance.now();
        sel.value = goal;
        sel.dispatchEvent(new Event('change', { bubbles: true }));
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
      }),
    goal,
  );
}

/** Clicks a tab and times it until the frame after `ready` holds (checked each frame). */
export function timeTab(page: Page, name: string, readySelector: string, timeoutMs: number): Promise<number> {
  return page.evaluate(
    ({ name, readySelector, timeoutMs }) =>
      new Promise<number>((resolve, reject) => {
        const tab = [...document.querySelectorAll<HTMLButtonElement>('[role=tab]')].find((b) => b.textContent?.trim() === name);
        if (!tab) return reject(new Error(`no tab ${name}`));
        const t0 = performance.now();
        tab.click();
        const check = () => {
          if (document.querySelector(readySelector)) requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
          else if (performance.now() - t0 > timeoutMs) reject(new Error(`${readySelector} did not appear`));
          else requestAnimationFrame(check);
        };
        check();
      }),
    { name, readySelector, timeoutMs },
  );
}

export async function domNodes(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelectorAll('*').length);
}

export async function heapMB(cdp: CDPSession, collect: boolean): Promise<number> {
  if (collect) await cdp.send('HeapProfiler.collectGarbage');
  const h = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
  return h.usedSize / 2 ** 20;
}

/** True once an image inside `container` has loaded (a thumbnail on screen). */
export function firstImageLoaded(page: Page, container: string, timeoutMs: number): Promise<unknown> {
  return page.waitForFunction(
    (container) => [...document.querySelectorAll<HTMLImageElement>(`${container} img`)].some((i) => i.complete && i.naturalWidth > 0),
    container,
    { timeout: timeoutMs, polling: 50 },
  );
}

/** Chromium's own main-thread counters (CDP Performance.getMetrics): seconds spent in script, layout, style, tasks. */
export interface MainThreadTimes {
  script: number;
  layout: number;
  style: number;
  task: number;
  layoutCount: number;
  nodes: number;
}

export async function mainThreadTimes(cdp: CDPSession): Promise<MainThreadTimes> {
  await cdp.send('Performance.enable');
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const get = (n: string) => metrics.find((m) => m.name === n)?.value ?? 0;
  return { script: get('ScriptDuration'), layout: get('LayoutDuration'), style: get('RecalcStyleDuration'), task: get('TaskDuration'), layoutCount: get('LayoutCount'), nodes: get('Nodes') };
}

/** Milliseconds per frame of each counter between two readings. */
export function perFrame(a: MainThreadTimes, b: MainThreadTimes, frames: number): { scriptMs: number; layoutMs: number; styleMs: number; taskMs: number } {
  const f = Math.max(1, frames);
  const r = (x: number) => Math.round((x * 1000 * 10) / f) / 10;
  return { scriptMs: r(b.script - a.script), layoutMs: r(b.layout - a.layout), styleMs: r(b.style - a.style), taskMs: r(b.task - a.task) };
}
