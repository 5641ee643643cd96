/** Opening a real music folder: progress while indexing, then a sortable, filterable songs table. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchApp, DATA, type RunningApp } from './harness/launch.ts';

const LIBRARY = path.join(DATA, 'music', 'library');
let app: RunningApp;

before(async () => {
  app = await launchApp({ viewport: { width: 1440, height: 900 } });
});
after(async () => {
  await app?.close();
});

test('the music tab invites the person to open a music folder', async () => {
  const { page } = app;
  await page.getByRole('tab', { name: 'Music' }).click();
  await page.getByRole('heading', { name: 'Open your music folder' }).waitFor();
});

test('indexing the library shows progress, then every song with its quadrant', async () => {
  const { page } = app;
  app.dialogAnswers.push(LIBRARY);
  await page.keyboard.press('Control+Shift+O');
  await page.getByTestId('progress').filter({ hasText: 'Indexing music' }).waitFor({ timeout: 30_000 });
  await app.screenshot('10-music-indexing');
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 300_000 });
  await page.getByText(/^30 songs/).waitFor();
  const rows = page.getByTestId('song-row');
  assert.ok((await rows.count()) >= 10);
  const quadrants = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-quadrant')));
  assert.ok(quadrants.every((q) => ['Q1', 'Q2', 'Q3', 'Q4'].includes(q ?? '')), `rows without quadrant: ${quadrants}`);
  await page.getByTestId('skipped-files').waitFor();
  await app.screenshot('11-music-table');
});

test('the table sorts by a column and filters by quadrant and text', async () => {
  const { page } = app;
  await page.getByRole('button', { name: /^Valence/ }).click();
  const values = async () =>
    (await page.getByTestId('song-row').evaluateAll((els) => els.map((e) => Number(e.querySelector('.valence')?.textContent)))).filter((v) => !Number.isNaN(v));
  const desc = await values();
  assert.deepEqual([...desc].sort((a, b) => b - a), desc, 'valence sorted high to low');
  // Songs without an artist go after the named ones, whichever way the column is sorted.
  for (let i = 0; i < 2; i++) {
    await page.getByRole('button', { name: /^Artist/ }).click();
    const artists = await page.getByTestId('song-row').evaluateAll((els) => els.map((e) => e.querySelector('.artist')?.textContent?.trim() ?? ''));
    const firstMissing = artists.indexOf('–');
    assert.ok(firstMissing !== 0 && (firstMissing < 0 || artists.slice(firstMissing).every((a) => a === '–')), artists.join(' | '));
  }
  await page.getByRole('button', { name: /^Valence/ }).click();
  const chip = page.getByRole('button', { name: /^Q[1-4] \w+ \d+$/ }).first();
  const label = (await chip.textContent()) ?? '';
  const [q, , n] = label.trim().split(/\s+/);
  await chip.click();
  const filtered = await page.getByTestId('song-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-quadrant')));
  assert.equal(filtered.length, Number(n));
  assert.ok(filtered.every((x) => x === q));
  await page.getByRole('button', { name: /^All \d+/ }).click();
  await page.getByRole('searchbox', { name: 'Search songs' }).fill('zzzz-no-such-song');
  assert.equal(await page.getByTestId('song-row').count(), 0);
  await page.getByRole('searchbox', { name: 'Search songs' }).fill('');
  assert.deepEqual(app.consoleErrors, []);
});
