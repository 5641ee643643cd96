/**
 * Issue 13, "corrections that stick": a person sets a face's quadrant (or drags its point) in the
 * detail view and a song's quadrant in the music table. The correction is stored beside the
 * model's reading, shows as "set by you", survives re-analysis, is what the gallery, the playlist
 * and the export use, and can be undone.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'libsql';
import { launchApp, until, workFolders, DATA, type RunningApp, type WorkFolders } from './harness/launch.ts';
import type { Portrait, Song } from '../shared/api.ts';
import { QUADRANT_NAME } from '../shared/emotion.ts';

const DEMO = path.join(DATA, 'portraits', 'demo');
const LIBRARY = path.join(DATA, 'music', 'library');
const SONGS = ['wesnoth-1.16-music/sad.ogg', 'wesnoth-1.16-music/love_theme.ogg', 'singularity-music/win/Apex Aleph.ogg', 'singularity-music/lose/Chimes They Fade.ogg'];
let app: RunningApp;
let w: WorkFolders;
let work: string;
let portraitsDir: string;
let musicDir: string;

before(async () => {
  const portraits = fs.readdirSync(DEMO).filter((f) => f.endsWith('.jpg')).sort().slice(0, 4).map((f) => path.join(DEMO, f));
  w = workFolders('ps-e2e-corr-', portraits, SONGS.map((s) => path.join(LIBRARY, s)));
  ({ root: work, portraits: portraitsDir, music: musicDir } = w);
  app = await launchApp({ viewport: { width: 1440, height: 900 } });
});
after(async () => {
  await app?.close();
  w?.remove();
});

const listPortraits = () => app.page.evaluate((folder) => window.api.listPortraits({ folder }), portraitsDir) as Promise<Portrait[]>;
const listSongs = () => app.page.evaluate((folder) => window.api.listSongs({ folder }), musicDir) as Promise<Song[]>;
const firstName = () => fs.readdirSync(portraitsDir).sort()[0]!;

test('open four portraits and four songs', async () => {
  const { page } = app;
  await page.getByTestId('empty-state').waitFor();
  app.dialogAnswers.push(portraitsDir);
  await page.getByRole('button', { name: 'Open folder…' }).first().click();
  await until(async () => (await listPortraits().catch(() => [])).filter((p) => p.status === 'done').length === 4);
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 60_000 });
  app.dialogAnswers.push(musicDir);
  await page.getByRole('tab', { name: 'Music' }).click();
  await page.getByRole('button', { name: 'Open music folder…' }).first().click();
  await until(async () => (await listSongs().catch(() => [])).filter((s) => s.status === 'done').length === 4);
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 60_000 });
});

test("a face's quadrant set in the detail view is shown as the person's, beside the model's, everywhere", async () => {
  const { page } = app;
  await page.getByRole('tab', { name: 'Portraits' }).click();
  const before = (await listPortraits()).find((p) => p.name === firstName())!;
  const modelQ = before.faces[0]!.quadrant;
  // A reading the model did not give: calm has no class in the face model at all.
  const mine = 'Q4';
  await page.getByTestId('portrait-card').filter({ hasText: firstName() }).click();
  const detail = page.getByTestId('detail-view');
  const face1 = detail.getByTestId('detail-face').first();
  await face1.getByTestId(`set-quadrant-${mine}`).click();
  await face1.getByTestId('set-by-you').waitFor();
  assert.equal(await face1.locator('h3 [data-quadrant]').getAttribute('data-quadrant'), mine);
  assert.equal(await face1.locator('h3 [data-quadrant]').getAttribute('data-by-person'), 'true');
  assert.match((await face1.getByTestId('face-phrase').textContent()) ?? '', /calm, set by you/);
  assert.match((await face1.getByTestId('set-by-you').textContent()) ?? '', /calm/);
  await app.screenshot('corrections-detail');

  // The engine keeps both: the model's class and point untouched, the person's beside them.
  const after = (await listPortraits()).find((p) => p.name === firstName())!;
  assert.equal(after.faces[0]!.quadrant, modelQ);
  assert.equal(after.faces[0]!.valence, before.faces[0]!.valence);
  assert.equal(after.faces[0]!.correction?.quadrant, mine);

  // Drag the point to the tense corner (top left of the pad).
  const pad = face1.getByTestId('reading-pad');
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.15, box.y + box.height * 0.15, { steps: 5 });
  await page.mouse.up();
  await until(async () => (await face1.locator('h3 [data-quadrant]').getAttribute('data-quadrant')) === 'Q2', 10_000);
  const dragged = (await listPortraits()).find((p) => p.name === firstName())!.faces[0]!.correction!;
  assert.equal(dragged.quadrant, 'Q2');
  assert.ok(dragged.valence < -0.5 && dragged.arousal > 0.5, `dragged to ${dragged.valence}, ${dragged.arousal}`);
  // Arrow keys move the point on the focused pad (and do not step to the next portrait).
  await pad.focus();
  await page.keyboard.press('ArrowRight');
  await until(async () => ((await listPortraits()).find((p) => p.name === firstName())!.faces[0]!.correction?.valence ?? 0) > dragged.valence, 10_000);
  assert.equal(await detail.locator('h2').textContent(), firstName(), 'still the same portrait');
  await page.keyboard.press('Escape');

  // The gallery badge and the playlist read the person's reading.
  const card = page.getByTestId('portrait-card').filter({ hasText: firstName() });
  assert.equal(await card.locator('[data-quadrant]').first().getAttribute('data-quadrant'), 'Q2');
  assert.equal(await card.locator('[data-quadrant]').first().getAttribute('data-by-person'), 'true');
});

test("a song's quadrant set in the music table is the one matching and the columns use", async () => {
  const { page } = app;
  await page.getByRole('tab', { name: 'Music' }).click();
  const song = (await listSongs()).find((s) => s.title === 'Sad' || s.name === 'sad.ogg')!;
  const mine = song.quadrant === 'Q1' ? 'Q2' : 'Q1';
  const row = page.locator(`#song-row-${song.id}`);
  await row.getByTestId('song-edit-reading').click();
  const menu = page.getByTestId('song-reading-menu');
  await menu.waitFor();
  await app.screenshot('corrections-music-menu');
  await menu.getByTestId(`song-set-${mine}`).click();
  await menu.waitFor({ state: 'detached' });
  await until(async () => (await row.locator('.quad [data-quadrant]').getAttribute('data-quadrant')) === mine, 10_000);
  assert.equal(await row.locator('.quad [data-quadrant]').getAttribute('data-by-person'), 'true');
  // The valence column shows the reading the app uses (the quadrant's centre, ±0.60).
  assert.equal((await row.locator('.valence').textContent())?.trim(), mine === 'Q1' ? '+0.60' : '-0.60');
  const stored = (await listSongs()).find((s) => s.id === song.id)!;
  assert.equal(stored.quadrant, song.quadrant, "the model's class is kept");
  assert.equal(stored.correction?.quadrant, mine);
  await app.screenshot('corrections-music');

  // Keyboard: E on the selected row opens the same menu; Esc closes it.
  await page.getByTestId('song-body').focus();
  await page.keyboard.press('e');
  await menu.waitFor();
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });

  // A click on a row selects it for the keyboard: E then edits that song, not the row the keys were on.
  const other = (await listSongs()).find((s) => s.id !== song.id && s.status !== 'error' && !s.correction && s.quadrant)!;
  await page.locator(`#song-row-${other.id} .title`).click();
  await page.keyboard.press('e');
  await menu.waitFor();
  assert.equal(await menu.getAttribute('aria-label'), `Your reading of ${other.title ?? other.name}`);
  // The menu names the model's reading it would replace.
  assert.match((await menu.getByTestId('song-model-reading').textContent()) ?? '', new RegExp(`^Now the model's reading: ${QUADRANT_NAME[other.quadrant!]} \\(`));
  // Tabbing out of the menu closes it rather than leaving it open over a page it no longer holds the keys for.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  await menu.waitFor({ state: 'detached' });
});

test('corrections survive re-analysis by a new model and reach the export, which says whose reading it is', async () => {
  const { page } = app;
  // Pretend the catalog was analysed by an older model: reopening the folder analyses every portrait again.
  const { dataDir } = await page.evaluate(() => window.api.getAppInfo());
  const db = new Database(path.join(dataDir, 'catalog.sqlite'));
  db.prepare("UPDATE portraits SET analyser = 'an-older-model'").run();
  db.close();
  const analysedAt = async () => (await listPortraits()).length;
  assert.equal(await analysedAt(), 4);
  await page.getByRole('tab', { name: 'Portraits' }).click();
  const opened = await page.evaluate((p) => window.api.openRecentFolder({ path: p, kind: 'portraits' }), portraitsDir);
  assert.ok(opened.jobId, 'the folder is analysed again');
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 300_000 });
  await until(async () => {
    const d = new Database(path.join(dataDir, 'catalog.sqlite'), { readonly: true });
    const n = (d.prepare("SELECT COUNT(*) AS n FROM portraits WHERE analyser = 'an-older-model'").get() as { n: number }).n;
    d.close();
    return n === 0;
  });
  const re = (await listPortraits()).find((p) => p.name === firstName())!;
  assert.equal(re.faces[0]!.correction?.quadrant, 'Q2', 'the correction outlived re-analysis');

  await page.getByRole('tab', { name: 'Playlist' }).click();
  const target = path.join(work, 'export');
  app.exportAnswers.push(target);
  await page.getByRole('button', { name: 'Export…' }).click();
  await page.getByTestId('notice').filter({ hasText: /Exported \d+ pairs/ }).waitFor({ timeout: 60_000 });
  const json = JSON.parse(fs.readFileSync(path.join(target, 'pairs.json'), 'utf8'));
  assert.equal(json.formatVersion, 2);
  const pair = json.pairs.find((p: { portrait: { name: string } }) => p.portrait.name === firstName());
  assert.equal(pair.face.readingBy, 'person');
  assert.equal(pair.face.quadrant, 'Q2');
  assert.equal(pair.face.model.quadrant !== undefined, true, "the model's reading travels beside it");
  const others = json.pairs.filter((p: { portrait: { name: string } }) => p.portrait.name !== firstName());
  assert.ok(others.every((p: { face: { readingBy: string; model: unknown } }) => p.face.readingBy === 'model' && p.face.model === null));
  const csv = fs.readFileSync(path.join(target, 'pairs.csv'), 'utf8');
  assert.match(csv.split('\r\n')[0]!, /,face_reading_by,song_reading_by(,|$)/);
});

test("undo brings the model's reading back", async () => {
  const { page } = app;
  await page.getByRole('tab', { name: 'Portraits' }).click();
  await page.getByTestId('portrait-card').filter({ hasText: firstName() }).click();
  const face1 = page.getByTestId('detail-view').getByTestId('detail-face').first();
  await face1.getByTestId('undo-correction').click();
  await face1.getByTestId('set-by-you').waitFor({ state: 'detached' });
  const p = (await listPortraits()).find((x) => x.name === firstName())!;
  assert.equal(p.faces[0]!.correction ?? null, null);
  assert.equal(await face1.locator('h3 [data-by-person]').count(), 0);
  await page.keyboard.press('Escape');
  assert.deepEqual(app.consoleErrors, []);
});
