/**
 * The real app in the real Electron: main process, preload, utility-process engine, `ps-media:`.
 * Runs wherever the Electron binary exists or can be downloaded (a person's machine, the hosted
 * CI workflow in .github/workflows/); elsewhere it is skipped with the reason printed, and the
 * same renderer, engine bundle and handlers are covered by the other tests.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication } from 'playwright';
import { findElectronBinary } from '../scripts/electron-binary.mjs';
import { REPO, DATA, SCREENSHOTS } from './harness/launch.ts';

const binary = findElectronBinary({ download: true });
const skip = binary.path === null ? `Electron smoke test skipped: ${binary.reason}` : false;
if (skip) console.log(`# ${skip}`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-electron-'));
let app: ElectronApplication | null = null;
after(async () => {
  await app?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The native dialog answers with `folder` the next time it is opened. */
async function answerDialogWith(electronApp: ElectronApplication, folder: string): Promise<void> {
  await electronApp.evaluate(({ dialog }, picked) => {
    dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [picked] })) as typeof dialog.showOpenDialog;
  }, folder);
}

test('the packaged layout starts in Electron: preload API, demo gallery with faces, a song over ps-media: with Range', { skip }, async () => {
  app = await _electron.launch({
    executablePath: binary.path!,
    args: [REPO],
    cwd: REPO,
    env: { ...process.env, PORTRAIT_SONGS_DATA_DIR: path.join(tmp, 'data') },
    timeout: 60_000,
  });
  const page = await app.firstWindow();
  const info = await page.evaluate(() => window.api.getAppInfo());
  assert.match(info.version, /^\d+\.\d+\.\d+/);
  assert.ok(info.backend, 'the engine started its inference backend in the utility process');
  assert.equal(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require), 'undefined', 'no Node in the page');
  // Drag and drop: the preload names dropped paths, and the shell opens only paths a real drop carried.
  assert.equal(await page.evaluate(() => typeof (window as unknown as { portraitSongsDrop?: { pathForFile?: unknown } }).portraitSongsDrop?.pathForFile), 'function');
  const named = await page.evaluate((p) => window.api.openDroppedPaths({ paths: [p] }).then(() => 'opened', (e: { code?: string }) => e.code), path.join(DATA, 'portraits', 'demo'));
  assert.equal(named, 'forbidden', 'a page cannot open a folder by calling it dropped');

  await answerDialogWith(app, path.join(DATA, 'portraits', 'demo'));
  await page.keyboard.press('Control+o');
  await page.getByTestId('face-box').first().waitFor({ timeout: 240_000 });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'electron-gallery.png') });

  const library = path.join(DATA, 'music', 'library');
  await answerDialogWith(app, library);
  await page.keyboard.press('Control+Shift+o');
  const song = path.join(library, 'wesnoth-1.16-music', 'defeat2.ogg');
  const ranged = await page.evaluate(async ({ file }) => {
    const base = (await window.api.getAppInfo()).mediaBase;
    const res = await fetch(`${base}file/${encodeURIComponent(file)}`, { headers: { Range: 'bytes=0-99' } });
    return { status: res.status, range: res.headers.get('content-range'), bytes: (await res.arrayBuffer()).byteLength };
  }, { file: song });
  assert.equal(ranged.status, 206);
  assert.equal(ranged.bytes, 100);
  assert.match(ranged.range ?? '', /^bytes 0-99\/\d+$/);
  const played = await page.evaluate(async ({ file }) => {
    const base = (await window.api.getAppInfo()).mediaBase;
    const audio = new Audio(`${base}file/${encodeURIComponent(file)}`);
    audio.muted = true;
    await audio.play();
    await new Promise((r) => setTimeout(r, 1500));
    return audio.currentTime;
  }, { file: song });
  assert.ok(played > 0.5, `the song played (${played} s)`);
});
