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
  // Rows are reused as the table scrolls, so the page's order is not the table's: aria-rowindex is.
  const values = async () =>
    (await page.getByTestId('song-row').evaluateAll((els) => els.sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex'))).map((e) => Number(e.querySelector('.valence')?.textContent)))).filter((v) => !Number.isNaN(v));
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

test('scrolled to the end and back, every row shows the song of its place, in order, once', async () => {
  const { page } = app;
  await page.getByRole('button', { name: /^Time/ }).click();
  const body = page.getByTestId('song-body');
  type Row = { index: number; id: string; seconds: number; top: number; y: number };
  const snapshot = (): Promise<Row[]> =>
    page.getByTestId('song-row').evaluateAll((els) =>
      els
        .map((e) => {
          const [m, s] = (e.querySelector('.num')?.textContent ?? '').split(':').map(Number);
          return { index: Number(e.getAttribute('aria-rowindex')), id: e.id, seconds: m! * 60 + s!, top: e.getBoundingClientRect().top, y: Number(/translateY\((\d+)px\)/.exec((e as HTMLElement).style.transform)?.[1]) };
        })
        .sort((a, b) => a.index - b.index),
    );
  const check = (rows: Row[], where: string) => {
    assert.ok(rows.length >= 10, where);
    rows.forEach((r, k) => {
      assert.equal(r.y, (r.index - 2) * 44, `${where}: row ${r.index} placed at ${r.y}`);
      if (k === 0) return;
      assert.equal(r.index, rows[k - 1]!.index + 1, `${where}: rows ${rows[k - 1]!.index} → ${r.index}`);
      assert.ok(r.top > rows[k - 1]!.top, `${where}: row ${r.index} drawn above the one before it`);
      assert.ok(r.seconds >= rows[k - 1]!.seconds, `${where}: durations out of order at row ${r.index}`);
    });
    assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, `${where}: a song on two rows`);
  };
  const top = await snapshot();
  check(top, 'top');
  assert.equal(top[0]!.index, 2);
  // One step at a time, so the rows that stay in view keep their elements.
  for (let y = 0; y <= 30 * 44; y += 130) {
    await body.evaluate((el, y) => (el.scrollTop = y), y);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    check(await snapshot(), `at ${y} px`);
  }
  const end = await snapshot();
  assert.equal(end.at(-1)!.index, 31, 'the last song is on the last row');
  await app.screenshot('11b-music-table-scrolled');
  await body.evaluate((el) => (el.scrollTop = 0));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const back = await snapshot();
  check(back, 'back at the top');
  assert.deepEqual(back.map((r) => r.id), top.map((r) => r.id));
  await page.getByRole('button', { name: /^Title/ }).click();
});
