/**
 * Starts the app as the tests see it: the real engine in this process, the real handler table,
 * the built renderer in Debian's Chromium, and `window.api` bridged with the preload's client.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright';
import { Engine } from '../../electron/engine/engine.ts';
import { createApiHandlers } from '../../electron/engine/api/api-handlers.ts';
import { dispatch } from '../../electron/engine/api/dispatch.ts';
import type { FolderKind } from '../../shared/api.ts';
import { startHttpHost, type HttpHost } from './http-host.ts';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const DATA = path.resolve(REPO, '../shared/data');
export const SCREENSHOTS = path.join(REPO, 'test-results', 'screenshots');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

export interface RunningApp {
  page: Page;
  engine: Engine;
  host: HttpHost;
  /** Folders the stand-in for the native dialog will answer with, in order. */
  dialogAnswers: (string | null)[];
  /** Answers of the stand-in for the export-folder dialog. */
  exportAnswers: (string | null)[];
  consoleErrors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

async function bridgeScript(): Promise<string> {
  const out = await build({
    entryPoints: [path.join(import.meta.dirname, 'page-bridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
  });
  return out.outputFiles[0]!.text;
}

export async function launchApp(opts: { viewport?: { width: number; height: number } } = {}): Promise<RunningApp> {
  const rendererDir = path.join(REPO, 'dist', 'renderer');
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) throw new Error('Build the renderer first: npm run build:renderer');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-e2e-'));
  const events: unknown[] = [];
  let page: Page | null = null;
  const engine = new Engine({
    dataDir,
    emit: (event) => {
      events.push(event);
      void page?.evaluate((e) => window.__psDispatch(e), event).catch(() => undefined);
    },
  });
  const roots = new Set<string>();
  const host = await startHttpHost(rendererDir, { roots: () => roots, thumbsDir: engine.thumbsDir });
  const dialogAnswers: (string | null)[] = [];
  const exportAnswers: (string | null)[] = [];
  const handlers = createApiHandlers(engine, {
    mediaBase: host.mediaBase,
    allowRoot: (folder) => roots.add(folder),
    pickFolder: async (_kind: FolderKind) => (dialogAnswers.length ? dialogAnswers.shift()! : null),
    pickExportFolder: async () => (exportAnswers.length ? exportAnswers.shift()! : null),
  });
  const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.exposeBinding('__psInvoke', (_source, channel: unknown, arg: unknown) => dispatch(handlers, channel, arg));
  await page.addInitScript({ content: await bridgeScript() });
  await page.goto(`${host.origin}/index.html`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const p = page;
  return {
    page: p,
    engine,
    host,
    dialogAnswers,
    exportAnswers,
    consoleErrors,
    async screenshot(name) {
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await p.screenshot({ path: file });
      return file;
    },
    async close() {
      await browser.close();
      await engine.idle();
      engine.close();
      await host.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
