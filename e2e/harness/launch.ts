/**
 * Starts the app as a person gets it in browser mode: `node dist/web/serve.js` (the bundled
 * server, which runs the bundled engine in its own process), opened in Chromium with the URL it
 * prints. Every call goes through the real HTTP transport, the session cookie and the served
 * CSP. The native dialogs' stand-ins are the in-app folder picker and "Replace?" dialog, which
 * this harness answers by clicking and typing, as a person would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { chromium, type Browser, type Locator, type Page } from 'playwright';
import { chromiumExecutable } from './chromium-path.ts';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const DATA = path.resolve(REPO, '../shared/data');
export const SCREENSHOTS = path.join(REPO, 'test-results', 'screenshots');
export const SERVE_BUNDLE = path.join(REPO, 'dist', 'web', 'serve.js');

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
  /** The URL the server printed (it carries the session secret). */
  url: string;
  origin: string;
  server: ChildProcess;
  /** Folders the person picks in the in-app picker when it opens to open a folder, in order; null cancels. */
  dialogAnswers: (string | null)[];
  /** Folders the person picks when the picker opens to export; null cancels. */
  exportAnswers: (string | null)[];
  /** Answers to the host's "Replace?" question; none queued means "Keep it". */
  replaceAnswers: boolean[];
  /** Every folder the host asked about before replacing, in order. */
  replaceAsked: string[];
  consoleErrors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts `node dist/web/serve.js` and resolves with the URL it prints. */
export async function startServer(dataDir: string, extraArgs: string[] = []): Promise<{ child: ChildProcess; url: string; output: string[] }> {
  if (!fs.existsSync(SERVE_BUNDLE)) throw new Error('Build first: npm run build');
  const child = spawn(process.execPath, [SERVE_BUNDLE, '--no-open', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' },
  });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output.push(line);
      const m = /running at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before printing its URL: ${output.join('\n')}`)));
  });
  return { child, url, output };
}

export function stopServer(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

/**
 * Answers a dialog each time it appears with an answer queued, until the page closes; with none
 * queued the dialog is left to the test, which drives it itself.
 */
function answerEachTime(dialog: Locator, isOpen: () => boolean, hasAnswer: () => Promise<boolean>, answer: () => Promise<void>): void {
  void (async () => {
    while (isOpen()) {
      try {
        await dialog.waitFor({ state: 'visible', timeout: 1000 });
      } catch {
        continue;
      }
      try {
        if (await hasAnswer()) await answer();
        await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
      } catch {
        // The page closed under us; the loop ends with it.
      }
    }
  })();
}

export async function launchApp(opts: { viewport?: { width: number; height: number } } = {}): Promise<RunningApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-e2e-'));
  const { child, url } = await startServer(dataDir);
  const browser: Browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  const dialogAnswers: (string | null)[] = [];
  const exportAnswers: (string | null)[] = [];
  const replaceAnswers: boolean[] = [];
  const replaceAsked: string[] = [];
  let open = true;

  const picker = page.locator('[data-testid=folder-picker][data-ready=true]');
  const answersFor = async () => ((await picker.getAttribute('data-purpose')) === 'export' ? exportAnswers : dialogAnswers);
  answerEachTime(picker, () => open, async () => (await answersFor()).length > 0, async () => {
    const answer = (await answersFor()).shift();
    if (answer === undefined || answer === null) {
      await picker.getByRole('button', { name: 'Cancel' }).click();
      return;
    }
    await picker.getByTestId('folder-picker-path').fill(answer);
    await picker.getByTestId('folder-picker-choose').click();
  });
  const replace = page.getByTestId('replace-dialog');
  // The host's question is always answered: with none queued, "Keep it", as the stand-in always did.
  answerEachTime(replace, () => open, async () => true, async () => {
    replaceAsked.push((await replace.locator('strong').textContent()) ?? '');
    await replace.getByRole('button', { name: replaceAnswers.shift() ? 'Replace' : 'Keep it' }).click();
  });

  await page.goto(url);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    page,
    url,
    origin: new URL(url).origin,
    server: child,
    dialogAnswers,
    exportAnswers,
    replaceAnswers,
    replaceAsked,
    consoleErrors,
    async screenshot(name) {
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      open = false;
      await browser.close();
      await stopServer(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` every half second until it holds; analysis on a busy 2-core machine is slow. */
export async function until(check: () => Promise<boolean>, ms = 300_000, what = 'timed out'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(what);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface WorkFolders {
  root: string;
  portraits: string;
  music: string;
  remove(): void;
}

/**
 * A temporary portrait folder and music folder holding copies of the given files (absolute
 * paths; copies keep their base names), so a test works on a few files, and may change them.
 */
export function workFolders(prefix: string, portraits: string[], songs: string[]): WorkFolders {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const w = { root, portraits: path.join(root, 'portraits'), music: path.join(root, 'music'), remove: () => fs.rmSync(root, { recursive: true, force: true }) };
  fs.mkdirSync(w.portraits);
  fs.mkdirSync(w.music);
  for (const f of portraits) fs.copyFileSync(f, path.join(w.portraits, path.basename(f)));
  for (const f of songs) fs.copyFileSync(f, path.join(w.music, path.basename(f)));
  return w;
}
