/**
 * The user's three flows end to end: open portraits and music, browse the matched playlist,
 * play it in the embedded player, and export portrait–song pairs.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchApp, DATA, type RunningApp } from './harness/launch.ts';

const DEMO = path.join(DATA, 'portraits', 'demo');
const LIBRARY = path.join(DATA, 'music', 'library');
let app: RunningApp;
let out: string;

before(async () => {
  app = await launchApp({ viewport: { width: 1440, height: 900 } });
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-e2e-export-'));
});
after(async () => {
  await app?.close();
  fs.rmSync(out, { recursive: true, force: true });
});

test('open the demo portraits and the music library', async () => {
  const { page } = app;
  app.dialogAnswers.push(DEMO);
  await page.keyboard.press('Control+o');
  await page.getByTestId('progress').waitFor({ timeout: 30_000 });
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 240_000 });
  app.dialogAnswers.push(LIBRARY);
  await page.keyboard.press('Control+Shift+O');
  await page.getByTestId('progress').filter({ hasText: 'Indexing music' }).waitFor({ timeout: 30_000 });
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 300_000 });
  await page.getByText(/^30 songs/).waitFor();
});

test('the playlist pairs every portrait with a face, explains each choice, and lists the rest', async () => {
  const { page } = app;
  await page.getByRole('tab', { name: 'Playlist' }).click();
  const entries = page.getByTestId('playlist-entry');
  await entries.first().waitFor();
  const n = await entries.count();
  assert.ok(n >= 50, `${n} pairs`);
  const reasons = await entries.locator('.reason .sentence').allTextContents();
  assert.ok(reasons.every((r) => /^(Happy|Tense|Sad|Calm|Neutral) face.* → .* track; /.test(r)), reasons[0]);
  // Every portrait is either paired or listed with the reason it is not.
  const unmatchedLine = page.getByText(/portraits? without a match/);
  const unmatched = (await unmatchedLine.count()) ? Number(/\d+/.exec((await unmatchedLine.textContent()) ?? '')?.[0]) : 0;
  assert.equal(n + unmatched, 60);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=playlist-entry] img')].filter((i) => (i as HTMLImageElement).naturalWidth > 0).length >= 5);
  await app.screenshot('20-playlist');
});

test('swap and reorder change the playlist', async () => {
  const { page } = app;
  const first = page.getByTestId('playlist-entry').first();
  const before = await first.locator('.song .name').textContent();
  const reason = await first.locator('.reason').textContent();
  await first.getByRole('button', { name: 'Swap song' }).click();
  await page.waitForFunction((r) => document.querySelector('[data-testid=playlist-entry] .reason')?.textContent !== r, reason);
  assert.match((await first.locator('.reason').textContent()) ?? '', /2nd-best fit, your pick/);
  const firstName = await first.locator('.who .name').textContent();
  await first.getByRole('button', { name: 'Move down' }).click();
  assert.equal(await page.getByTestId('playlist-entry').nth(1).locator('.who .name').textContent(), firstName);
  assert.notEqual(before, null);
});

test('play: the position advances, next moves to the following pair, the portrait is shown large', async () => {
  const { page } = app;
  await page.getByTestId('playlist-view').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Space');
  const now = page.getByTestId('now-playing');
  await now.getByRole('button', { name: 'Pause' }).waitFor({ timeout: 20_000 });
  const pos = async () => {
    const [m, s] = ((await now.getByTestId('position').textContent()) ?? '0:00').split(':').map(Number);
    return m! * 60 + s!;
  };
  await page.waitForFunction(() => (document.querySelector('[data-testid=position]')?.textContent ?? '0:00') >= '0:02', null, { timeout: 20_000 });
  assert.ok((await pos()) >= 2);
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-testid=now-playing] img') as HTMLImageElement | null;
    return !!img && img.naturalWidth > 0;
  });
  await app.screenshot('21-playing');
  const currentIndex = () => page.getByTestId('playlist-entry').evaluateAll((els) => els.findIndex((el) => el.classList.contains('current')));
  // A short song may already have ended and advanced on its own; next is relative to now.
  const before = await currentIndex();
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction((i) => [...document.querySelectorAll('[data-testid=playlist-entry]')].findIndex((el) => el.classList.contains('current')) !== i, before);
  assert.equal(await currentIndex(), before + 1);
  assert.equal(await page.locator('[data-testid=playlist-entry].current').count(), 1);
  await page.keyboard.press('Space');
  await now.getByRole('button', { name: 'Play' }).waitFor();
});

test('the V/A plane places portraits and songs; clicking a portrait opens it', async () => {
  const { page } = app;
  await page.getByRole('tab', { name: 'V/A plane' }).click();
  await page.getByTestId('va-plane').waitFor();
  assert.ok((await page.getByTestId('plane-portrait').count()) >= 50);
  assert.ok((await page.getByTestId('plane-song').count()) >= 25);
  await app.screenshot('22-plane');
  // Keyboard access: every point is focusable and opens with Enter.
  await page.getByTestId('plane-portrait').first().focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('detail-view').waitFor();
  await page.keyboard.press('Escape');
});

test('export writes the pairs, asks before replacing, and the files are valid', async () => {
  const { page } = app;
  await page.getByRole('tab', { name: 'Playlist' }).click();
  const target = path.join(out, 'Export ünï 名前');
  app.exportAnswers.push(target);
  await page.getByRole('button', { name: 'Export…' }).click();
  await page.getByTestId('notice').filter({ hasText: /Exported \d+ pairs/ }).waitFor({ timeout: 60_000 });
  for (const f of ['pairs.csv', 'pairs.json', 'playlist.m3u8', 'index.html']) assert.ok(fs.existsSync(path.join(target, f)), f);
  const json = JSON.parse(fs.readFileSync(path.join(target, 'pairs.json'), 'utf8'));
  const shown = await page.getByTestId('playlist-entry').count();
  assert.equal(json.pairs.length, shown);
  const m3u = fs.readFileSync(path.join(target, 'playlist.m3u8'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  assert.equal(m3u.length, shown);
  for (const rel of m3u) assert.ok(fs.existsSync(path.resolve(target, rel)), rel);

  // A second export to the same folder: the host (not the page) asks first; declining leaves it untouched.
  const stamp = fs.statSync(path.join(target, 'pairs.json')).mtimeMs;
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 300 && !done(); i++) await page.waitForTimeout(100);
    assert.ok(done());
  };
  app.exportAnswers.push(target);
  app.replaceAnswers.push(false);
  await page.getByRole('button', { name: 'Export…' }).click();
  await until(() => app.replaceAsked.length === 1);
  assert.deepEqual(app.replaceAsked, [target]);
  await page.waitForTimeout(500);
  assert.equal(fs.statSync(path.join(target, 'pairs.json')).mtimeMs, stamp);
  // Saying yes in the host's dialog replaces it.
  app.exportAnswers.push(target);
  app.replaceAnswers.push(true);
  await page.getByRole('button', { name: 'Export…' }).click();
  await until(() => fs.existsSync(path.join(target, 'pairs.json')) && fs.statSync(path.join(target, 'pairs.json')).mtimeMs !== stamp);
  assert.deepEqual(app.replaceAsked, [target, target]);
  assert.deepEqual(app.consoleErrors, []);
});
