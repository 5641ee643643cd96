/**
 * Folders that stay current: with a portrait folder and a music folder open, images and songs
 * added to them or deleted from them show up or leave without reopening anything. Without the
 * engine's watcher nothing here would change until the folder was opened again.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchApp, DATA, type RunningApp } from './harness/launch.ts';

const DEMO = path.join(DATA, 'portraits', 'demo');
const LIBRARY = path.join(DATA, 'music', 'library');
const PORTRAITS = ['aic-2092.jpg', 'aic-2158.jpg', 'aic-2179.jpg'];
/** Two faces: its card shows them once it is analysed. */
const ADDED_PORTRAIT = 'aic-4788.jpg';
const SONGS = ['wesnoth-1.16-music/defeat2.ogg', 'extremetuxracer-data/wonrace1-jt.ogg'];
const ADDED_SONG = 'wesnoth-1.16-music/victory2.ogg';

let app: RunningApp;
let tmp: string;
let art: string;
let music: string;
/** URLs the page was answered 404 for: only the files this test deletes may be among them. */
const notFound: string[] = [];

/** Copies to a temporary name first and renames, as a careful copy tool does: the watcher sees whole files. */
function drop(from: string, dir: string, name = path.basename(from)): string {
  const to = path.join(dir, name);
  fs.copyFileSync(from, `${to}.part`);
  fs.renameSync(`${to}.part`, to);
  return to;
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-watch-e2e-'));
  art = path.join(tmp, 'portraits');
  music = path.join(tmp, 'music');
  fs.mkdirSync(art);
  fs.mkdirSync(music);
  assert.ok(fs.existsSync(path.join(DEMO, ADDED_PORTRAIT)), `${ADDED_PORTRAIT} is among the demo portraits`);
  for (const f of PORTRAITS) drop(path.join(DEMO, f), art);
  for (const s of SONGS) drop(path.join(LIBRARY, s), music);
  app = await launchApp({ viewport: { width: 1280, height: 800 } });
  app.page.on('response', (r) => {
    if (r.status() === 404) notFound.push(decodeURIComponent(r.url()));
  });
});
after(async () => {
  await app?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const cardNames = () =>
  app.page.$$eval('[data-testid=portrait-card]', (els) => els.map((e) => (e.getAttribute('aria-label') ?? '').split(':')[0]).sort());
const songPaths = () => app.page.$$eval('[data-testid=song-row]', (els) => els.map((e) => e.getAttribute('title') ?? '').sort());

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await app.page.waitForTimeout(200);
  }
}

test('an open portrait folder takes in a new image and lets a deleted one go, closing its detail view', async () => {
  const { page } = app;
  app.dialogAnswers.push(art);
  await page.keyboard.press('Control+o');
  await page.getByText('3 images ·').waitFor({ timeout: 120_000 });
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 120_000 });
  assert.deepEqual(await cardNames(), PORTRAITS);
  // The watcher's first crawl of three files is quick; give it a moment all the same.
  await page.waitForTimeout(500);

  drop(path.join(DEMO, ADDED_PORTRAIT), art);
  await waitFor(async () => (await cardNames()).includes(ADDED_PORTRAIT), 'the added image shows in the gallery');
  const added = page.locator(`[data-testid=portrait-card][aria-label^="${ADDED_PORTRAIT}:"]`);
  await page.getByText('4 images ·').waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => [...document.images].filter((i) => i.complete && i.naturalWidth > 0).length >= 4);
  assert.equal(Number(await added.getAttribute('data-faces')), 2, 'the new image was analysed: its two faces are found');
  await app.screenshot('watch-1-added');

  // The person looks at a portrait whose file is then deleted: the view closes, the card goes.
  const victim = PORTRAITS[1]!;
  await page.locator(`[data-testid=portrait-card][aria-label^="${victim}:"]`).click();
  await page.getByTestId('detail-view').waitFor();
  fs.rmSync(path.join(art, victim));
  await page.getByTestId('detail-view').waitFor({ state: 'detached', timeout: 30_000 });
  await waitFor(async () => !(await cardNames()).includes(victim), 'the deleted image leaves the gallery');
  assert.deepEqual(await cardNames(), [ADDED_PORTRAIT, PORTRAITS[0]!, PORTRAITS[2]!].sort());
  await page.getByText('3 images ·').waitFor();
  await app.screenshot('watch-2-deleted');
});

test('an open music folder takes in a new song and lets a deleted one go', async () => {
  const { page } = app;
  app.dialogAnswers.push(music);
  await page.keyboard.press('Control+Shift+O');
  await page.getByTestId('song-table').waitFor({ timeout: 60_000 });
  await waitFor(async () => (await songPaths()).length === 2 && (await page.getByTestId('progress').count()) === 0, 'the two songs indexed', 120_000);
  const first = SONGS.map((s) => path.join(music, path.basename(s))).sort();
  assert.deepEqual(await songPaths(), first);
  await page.waitForTimeout(500);

  const added = drop(path.join(LIBRARY, ADDED_SONG), music);
  await waitFor(async () => (await songPaths()).includes(added), 'the added song shows in the table', 120_000);
  const row = page.locator(`[data-testid=song-row][title="${added}"]`);
  await waitFor(async () => ['Q1', 'Q2', 'Q3', 'Q4'].includes((await row.getAttribute('data-quadrant')) ?? ''), 'the added song has its quadrant');
  await app.screenshot('watch-3-song-added');

  fs.rmSync(first[0]!);
  await waitFor(async () => !(await songPaths()).includes(first[0]!), 'the deleted song leaves the table');
  assert.deepEqual(await songPaths(), [added, first[1]!].sort());
  await app.screenshot('watch-4-song-deleted');
  // A file deleted while the page shows it is answered 404 if the page asks for it again (the
  // browser logs that); any other 404 or console error is a fault.
  const deleted = [PORTRAITS[1]!, path.basename(first[0]!)];
  assert.deepEqual(notFound.filter((u) => !deleted.some((d) => u.endsWith(`/${d}`))), []);
  assert.deepEqual(app.consoleErrors.filter((e) => !(/^Failed to load resource: .* 404 \(Not Found\)$/.test(e) && notFound.length > 0)), []);
});
