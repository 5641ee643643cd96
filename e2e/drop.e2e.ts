/**
 * Issue 13: drag and drop. In browser mode a page cannot learn where a dropped folder lives, so
 * the drop target explains that and offers the in-app folder picker. The engine's side is called
 * through the real HTTP transport: a dropped folder opens as portraits or music by what it holds,
 * and an unusable one is refused with the reason. Last, the page is given a stand-in for Electron's
 * preload bridge, so a drop runs the renderer's Electron path against the same engine.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FolderOpened } from '../shared/api.ts';
import { launchApp, until, DATA, type RunningApp } from './harness/launch.ts';

const DEMO = path.join(DATA, 'portraits', 'demo');
const LIBRARY = path.join(DATA, 'music', 'library');
let app: RunningApp;
let tmp: string;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-e2e-drop-'));
  fs.mkdirSync(path.join(tmp, 'empty'));
  fs.mkdirSync(path.join(tmp, 'docs'));
  fs.writeFileSync(path.join(tmp, 'docs', 'notes.txt'), 'not a picture');
  app = await launchApp({ viewport: { width: 1440, height: 900 } });
});
after(async () => {
  await app?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Fires dragenter (and, unless `hold`, drop) on the window with a DataTransfer holding one file named `name`. */
function dragFile(name: string, hold = false): Promise<void> {
  return app.page.evaluate(
    ({ name, hold }) => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], name));
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
      window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      if (!hold) window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { name, hold },
  );
}

type Outcome = { ok: true; value: FolderOpened } | { ok: false; code: string; message: string };
const openDropped = (paths: string[]): Promise<Outcome> =>
  app.page.evaluate(
    (paths) =>
      window.api.openDroppedPaths({ paths }).then(
        (value) => ({ ok: true as const, value }),
        (err: { code: string; message: string }) => ({ ok: false as const, code: err.code, message: err.message }),
      ),
    paths,
  );
/** Opening starts a job; the test needs only the answer, not the analysis. */
const cancel = (o: Outcome) => (o.ok && o.value.jobId ? app.page.evaluate((jobId) => window.api.cancelJob({ jobId }), o.value.jobId) : Promise.resolve());

test('browser mode: a drop explains that the page cannot see the path, and offers the folder picker', async () => {
  const { page } = app;
  await page.getByTestId('empty-state').waitFor();
  assert.equal(await page.evaluate(() => 'portraitSongsDrop' in window), false, 'no path bridge in browser mode');
  assert.equal(await page.getByTestId('drop-explain').count(), 0);
  // While dragging over the window, the target already says what will happen.
  await dragFile('Portraits', true);
  const overlay = page.getByTestId('drop-overlay');
  await overlay.waitFor();
  assert.match((await overlay.textContent()) ?? '', /browser mode.*folder picker/s);
  await app.screenshot('drop-overlay-browser');
  await page.evaluate(() => window.dispatchEvent(new DragEvent('dragleave', { dataTransfer: new DataTransfer(), bubbles: true })));

  await dragFile('Portraits');
  const explain = page.getByTestId('drop-explain');
  await explain.waitFor();
  assert.equal(await overlay.count(), 0);
  const text = (await explain.textContent()) ?? '';
  assert.match(text, /never tells a page where a dropped folder or file is/);
  assert.match(text, /folder picker/);
  await app.screenshot('drop-explain');
  // Its button opens the in-app picker for portraits (cancelled here).
  app.dialogAnswers.push(null);
  await explain.getByRole('button', { name: /Open portraits in the folder picker/ }).click();
  // The harness answers the picker the moment it is ready, so it may come and go between two looks:
  // its answer being taken is the proof that it opened.
  await until(async () => app.dialogAnswers.length === 0, 30_000, 'the folder picker never opened');
  await page.locator('[data-testid=folder-picker]').waitFor({ state: 'detached' });
  assert.equal(await explain.count(), 0);
  // Esc closes the explanation too.
  await dragFile('Music');
  await explain.waitFor();
  await page.keyboard.press('Escape');
  await explain.waitFor({ state: 'detached' });
});

test('the engine opens a dropped folder as portraits or music by what it holds', async () => {
  const portraits = await openDropped([DEMO]);
  await cancel(portraits);
  assert.ok(portraits.ok, JSON.stringify(portraits));
  assert.equal(portraits.value.kind, 'portraits');
  assert.equal(portraits.value.folder, DEMO);
  assert.equal(portraits.value.total, 60);

  const music = await openDropped([LIBRARY]);
  await cancel(music);
  assert.ok(music.ok, JSON.stringify(music));
  assert.equal(music.value.kind, 'music');
  assert.equal(music.value.folder, LIBRARY);
  assert.equal(music.value.total, 30);

  // Dropped files open the folder they share, by what they are.
  const files = await openDropped([path.join(LIBRARY, 'wesnoth-1.16-music', 'sad.ogg'), path.join(LIBRARY, 'wesnoth-1.16-music', 'love_theme.ogg')]);
  await cancel(files);
  assert.ok(files.ok, JSON.stringify(files));
  assert.deepEqual([files.value.kind, files.value.folder], ['music', path.join(LIBRARY, 'wesnoth-1.16-music')]);

  // What was opened is now the person's: its rows may be listed.
  const listed = await app.page.evaluate((folder) => window.api.listSongs({ folder }).then((s) => Array.isArray(s)), LIBRARY);
  assert.equal(listed, true);
});

test('unusable drops are refused with a reason a person can act on', async () => {
  const empty = await openDropped([path.join(tmp, 'empty')]);
  assert.deepEqual(empty.ok ? null : [empty.code, /Nothing to open in “empty”: it holds no images .* and no audio files/.test(empty.message)], ['invalid-argument', true]);
  const doc = await openDropped([path.join(tmp, 'docs', 'notes.txt')]);
  assert.deepEqual(doc.ok ? null : [doc.code, /notes\.txt is neither an image nor an audio file/.test(doc.message)], ['invalid-argument', true]);
  const gone = await openDropped([path.join(tmp, 'gone')]);
  assert.equal(gone.ok ? null : gone.code, 'not-found');
  const relative = await openDropped(['relative/folder']);
  assert.equal(relative.ok ? null : relative.code, 'invalid-argument');
  const nul = await openDropped([`${tmp}/a\0b`]);
  assert.equal(nul.ok ? null : nul.code, 'invalid-argument');
});

test('with a path bridge (as Electron’s preload gives), a drop opens the folder in the app, or says why not', async () => {
  const { page } = app;
  // The stand-in names a dropped "file" by a table; Electron's preload asks webUtils instead.
  // (Given as text: the test's TypeScript loader would wrap a function in helpers the page lacks.)
  const table = JSON.stringify({ library: LIBRARY, empty: path.join(tmp, 'empty') });
  await page.addInitScript({
    content: `Object.defineProperty(window, 'portraitSongsDrop', { value: { pathForFile: (f) => (${table})[f.name] ?? '' } });`,
  });
  await page.reload();
  await page.getByTestId('empty-state').waitFor();
  await dragFile('library', true);
  await page.getByTestId('drop-overlay').filter({ hasText: 'Drop a folder to open it' }).waitFor();
  await app.screenshot('drop-overlay');
  await page.evaluate(() => window.dispatchEvent(new DragEvent('dragleave', { dataTransfer: new DataTransfer(), bubbles: true })));

  await dragFile('library');
  await page.getByTestId('notice').filter({ hasText: `Opened ${LIBRARY} as music` }).waitFor();
  await page.getByRole('tab', { name: 'Music', selected: true }).waitFor();
  await page.getByTestId('progress').filter({ hasText: 'Indexing music' }).waitFor();

  await dragFile('empty');
  await page.getByTestId('notice').filter({ hasText: /Could not open what was dropped: Nothing to open in “empty”/ }).waitFor();
  await dragFile('from-a-web-page');
  await page.getByTestId('notice').filter({ hasText: /no place on this computer’s disk/ }).waitFor();
  // The same refusal twice is one notice, and notices never cover the player bar.
  await dragFile('empty');
  await page.waitForTimeout(300);
  assert.equal(await page.getByTestId('notice').filter({ hasText: /Nothing to open in “empty”/ }).count(), 1);
  const covering = await page.evaluate(() => {
    const player = document.getElementById('player')!.getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid=notice]')].filter((n) => n.getBoundingClientRect().bottom > player.top + 0.5).length;
  });
  assert.equal(covering, 0);
  await app.screenshot('drop-refused');
  assert.deepEqual(app.consoleErrors, []);
});
