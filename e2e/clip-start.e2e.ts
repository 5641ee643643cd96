/**
 * Where songs start, against real indexing of the shared music library: the music table's small
 * timelines, the playlist's "Start songs at" setting, and the "from m:ss" labels in the playlist
 * and the player. What the page shows is checked against the shared matcher run on what the
 * engine lists; the song model reads every analysed song patch by patch, so the library must give
 * some pair a clip start.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launchApp, until, workFolders, DATA, type RunningApp, type WorkFolders } from './harness/launch.ts';
import { defaultSpec, playlistFromSpec, type PlaylistEntry, type StartAt } from '../shared/match.ts';
import { formatClock } from '../shared/clock.ts';
import type { Portrait, Song } from '../shared/api.ts';

const DEMO = path.join(DATA, 'portraits', 'demo');
const LIBRARY = path.join(DATA, 'music', 'library');
let app: RunningApp;
let work: WorkFolders;

before(async () => {
  // A handful of portraits is enough to make pairs; the music is the whole shared library.
  const portraits = fs.readdirSync(DEMO).filter((f) => f.endsWith('.jpg')).sort().slice(0, 8).map((f) => path.join(DEMO, f));
  work = workFolders('ps-e2e-clip-', portraits, []);
  app = await launchApp({ viewport: { width: 1440, height: 900 } });
});
after(async () => {
  await app?.close();
  work?.remove();
});

const listSongs = () => app.page.evaluate((folder) => window.api.listSongs({ folder }), LIBRARY) as Promise<Song[]>;
const listPortraits = () => app.page.evaluate((folder) => window.api.listPortraits({ folder }), work.portraits) as Promise<Portrait[]>;

/** The playlist the page should show, from the engine's own lists and the shared matcher. */
async function expected(startAt: StartAt): Promise<PlaylistEntry[]> {
  return playlistFromSpec(await listPortraits(), await listSongs(), { ...defaultSpec(), startAt }).filter((e) => e.songId !== null);
}

/** "from 1:12" per portrait id, as the playlist rows show it ('' where the song plays from its start). */
async function shownStarts(): Promise<Map<number, string>> {
  const rows = await app.page.getByTestId('playlist-entry').evaluateAll((els) =>
    els.map((e) => [Number(e.getAttribute('data-portrait-id')), e.querySelector('[data-testid=clip-from]')?.textContent?.trim() ?? ''] as const));
  return new Map(rows);
}

const seconds = (clock: string): number => clock.split(':').map(Number).reduce((t, x) => t * 60 + x, 0);

test('open a few portraits and the music library', async () => {
  const { page } = app;
  app.dialogAnswers.push(work.portraits);
  await page.keyboard.press('Control+o');
  // A handful of portraits may be analysed before a progress bar is ever seen: wait for the results.
  await until(() => listPortraits().then((ps) => ps.length === 8 && ps.every((p) => p.status !== 'pending'), () => false), 240_000, 'portraits not analysed');
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 60_000 });
  app.dialogAnswers.push(LIBRARY);
  await page.keyboard.press('Control+Shift+O');
  await page.getByTestId('progress').filter({ hasText: 'Indexing music' }).waitFor({ timeout: 30_000 });
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 300_000 });
  await page.getByText(/^30 songs/).waitFor();
});

test('the music table draws a labelled timeline for exactly the songs that have one', async (t) => {
  const { page } = app;
  const songs = new Map((await listSongs()).map((s) => [s.id, s]));
  const timed = [...songs.values()].filter((s) => s.timeline).length;
  t.diagnostic(`${timed} of ${songs.size} songs have a timeline`);
  const body = page.getByTestId('song-body');
  const seen = new Set<number>();
  // The table draws only the rows in view: look at the top, then scroll to the bottom.
  for (const to of ['top', 'bottom'] as const) {
    await body.evaluate((el, where) => (el.scrollTop = where === 'top' ? 0 : el.scrollHeight), to);
    await page.waitForTimeout(200);
    const rows = await page.getByTestId('song-row').evaluateAll((els) => els.map((e) => {
      const svg = e.querySelector('[data-testid=song-timeline]');
      const box = svg?.getBoundingClientRect();
      return { id: Number(e.id.replace('song-row-', '')), label: svg?.getAttribute('aria-label') ?? null, title: svg?.querySelector('title')?.textContent ?? null, lines: svg?.querySelectorAll('path').length ?? 0, height: box?.height ?? 0, rowHeight: e.getBoundingClientRect().height };
    }));
    for (const r of rows) {
      seen.add(r.id);
      const song = songs.get(r.id)!;
      if (!song.timeline) {
        assert.equal(r.label, null, `${song.name}: no timeline, nothing drawn`);
        continue;
      }
      assert.match(r.label ?? '', /^Energy and mood over time: (steady, \w+ throughout|\w+( up)? (from \w+ to \w+ )?at \d+:\d\d(, staying \w+)?)$/, song.name);
      assert.equal(r.title, r.label, 'a tooltip says the same');
      assert.equal(r.lines, 2, 'energy and mood');
      assert.ok(r.height > 0 && r.height < r.rowHeight, 'it fits the row');
    }
  }
  assert.equal(seen.size, songs.size, 'every row was looked at');
  assert.deepEqual(app.consoleErrors, []);
});

test('"from m:ss" in the playlist is where the matcher starts each song; "the beginning" clears it, by keyboard, and undoes', async () => {
  const { page } = app;
  await page.getByRole('tab', { name: 'Playlist' }).click();
  await page.getByTestId('playlist-entry').first().waitFor();
  const setting = page.getByRole('combobox', { name: 'Start songs at' });
  assert.equal(await setting.inputValue(), 'stretch', 'the best-fitting stretch by default');

  const want = async (startAt: StartAt) => new Map((await expected(startAt)).map((e) => [e.portraitId, e.clipStart > 0 ? `from ${formatClock(e.clipStart)}` : '']));
  const stretch = await want('stretch');
  assert.deepEqual(await shownStarts(), stretch);
  for (const e of await expected('stretch')) {
    const reason = await page.locator(`[data-portrait-id="${e.portraitId}"] [data-testid=reason]`).textContent();
    if (e.clipStart > 0) assert.match(reason ?? '', new RegExp(`; from ${formatClock(e.clipStart)}, where it comes closest to `));
    else assert.doesNotMatch(reason ?? '', /from \d+:\d\d/);
  }

  // Keyboard only: the setting is a plain select in the controls' tab order.
  await setting.focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await setting.inputValue(), 'beginning');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=clip-from]').length === 0);
  assert.deepEqual(await shownStarts(), await want('beginning'));
  assert.ok([...(await shownStarts()).values()].every((v) => v === ''));
  await app.screenshot('60-start-at-beginning');

  // An edit like the others: Ctrl+Z brings the stretches back.
  await page.getByTestId('playlist-view').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  assert.equal(await setting.inputValue(), 'stretch');
  assert.deepEqual(await shownStarts(), stretch);
});

test('a pair plays from its clip, and the player says from where', async () => {
  const { page } = app;
  const clipped = (await expected('stretch')).find((e) => e.clipStart > 0);
  assert.ok(clipped, 'some pair starts past the beginning (the analyser gives songs a timeline)');
  const row = page.locator(`[data-testid=playlist-entry][data-portrait-id="${clipped.portraitId}"]`);
  await row.locator('[data-ctl=play]').click();
  const now = page.getByTestId('now-playing');
  await now.getByRole('button', { name: 'Pause' }).waitFor({ timeout: 20_000 });
  assert.equal((await now.getByTestId('now-from').textContent())?.trim(), `from ${formatClock(clipped.clipStart)}`);
  // Playing really starts there: the clock never shows the song's opening.
  await page.waitForFunction((s) => {
    const [m, sec] = (document.querySelector('[data-testid=position]')?.textContent ?? '0:00').split(':').map(Number);
    return m! * 60 + sec! >= s + 1;
  }, Math.floor(clipped.clipStart), { timeout: 20_000 });
  await app.screenshot('61-playing-from-clip');
  await now.getByRole('button', { name: 'Pause' }).click();
});

test('a song played from the music table starts at its beginning, with no "from"', async () => {
  const { page } = app;
  await page.getByRole('tab', { name: 'Music' }).click();
  // The song a pair would start later, where there is one: the table must still start it at 0.
  const clipped = (await expected('stretch')).find((e) => e.clipStart > 0);
  const target = clipped ? page.locator(`#song-row-${clipped.songId}`) : page.getByTestId('song-row').first();
  await page.getByRole('searchbox', { name: 'Search songs' }).fill(clipped ? ((await listSongs()).find((s) => s.id === clipped.songId)?.title ?? '') : '');
  await target.getByTestId('song-play').click();
  const now = page.getByTestId('now-playing');
  await now.getByRole('button', { name: 'Pause' }).waitFor({ timeout: 20_000 });
  assert.equal(await now.getByTestId('now-from').count(), 0);
  assert.match((await now.textContent()) ?? '', /on its own/);
  assert.ok(seconds((await now.getByTestId('position').textContent()) ?? '9:99') < 5, 'from the start');
  await now.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('searchbox', { name: 'Search songs' }).fill('');
  assert.deepEqual(app.consoleErrors, []);
});
