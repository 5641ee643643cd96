/**
 * Issue 13, "every picture gets songs": a picture where no face is found gets a reading of its
 * own, its picture mood (colour and light), never passed off as a face. It shows as a "picture
 * mood" badge in the gallery, says so in the detail view, sits on the plane with its own marker,
 * gets a song in the playlist, and a setting in the playlist turns it off (then it has none).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launchApp, until, workFolders, DATA, SCREENSHOTS, type RunningApp } from './harness/launch.ts';
import sharp from 'sharp';
import type { Portrait, Song } from '../shared/api.ts';

const DEMO = path.join(DATA, 'portraits', 'demo');
const LIBRARY = path.join(DATA, 'music', 'library');
/**
 * Face-free crops of three demo portraits, as fractions [left, top, right, bottom] of the picture:
 * fruit, sky and sea, dark foliage (three of the laboratory's face-free set, checked by eye there).
 */
const CROPS: Record<string, [number, number, number, number]> = {
  'met-438821.jpg': [0.0, 0.72, 0.6, 0.95],
  'met-459027.jpg': [0.13, 0.12, 0.3, 0.65],
  'met-436440.jpg': [0.6, 0.55, 1.0, 1.0],
};
const cropName = (file: string) => `crop-${path.basename(file, '.jpg')}.png`;
const FACE_FREE = Object.keys(CROPS).map(cropName);
const PORTRAITS = ['met-435664.jpg', 'aic-4428.jpg'];
const SONGS = ['wesnoth-1.16-music/sad.ogg', 'wesnoth-1.16-music/love_theme.ogg', 'singularity-music/win/Apex Aleph.ogg', 'singularity-music/lose/Chimes They Fade.ogg', 'extremetuxracer-data/wonrace1-jt.ogg'];
let app: RunningApp;
let work: string;
let portraitsDir: string;
let musicDir: string;

before(async () => {
  ({ root: work, portraits: portraitsDir, music: musicDir } = workFolders('ps-e2e-mood-', PORTRAITS.map((f) => path.join(DEMO, f)), SONGS.map((s) => path.join(LIBRARY, s))));
  for (const [file, [l, t, r, b]] of Object.entries(CROPS)) {
    const { width = 0, height = 0 } = await sharp(path.join(DEMO, file)).metadata();
    const region = { left: Math.round(l * width), top: Math.round(t * height), width: Math.round((r - l) * width), height: Math.round((b - t) * height) };
    await sharp(path.join(DEMO, file)).extract(region).png().toFile(path.join(portraitsDir, cropName(file)));
  }
  app = await launchApp({ viewport: { width: 1440, height: 900 } });
});
after(async () => {
  await app?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const listPortraits = () => app.page.evaluate((folder) => window.api.listPortraits({ folder }), portraitsDir) as Promise<Portrait[]>;
const listSongs = () => app.page.evaluate((folder) => window.api.listSongs({ folder }), musicDir) as Promise<Song[]>;
const total = FACE_FREE.length + PORTRAITS.length;
const card = (name: string) => app.page.getByTestId('portrait-card').filter({ hasText: name });
const entry = (name: string) => app.page.getByTestId('playlist-entry').filter({ hasText: name });

test('open face-free pictures with two portraits, and a few songs', async () => {
  const { page } = app;
  await page.getByTestId('empty-state').waitFor();
  app.dialogAnswers.push(portraitsDir);
  await page.getByRole('button', { name: 'Open folder…' }).first().click();
  await until(async () => (await listPortraits().catch(() => [])).filter((p) => p.status === 'done').length === total);
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 60_000 });
  app.dialogAnswers.push(musicDir);
  await page.getByRole('tab', { name: 'Music' }).click();
  await page.getByRole('button', { name: 'Open music folder…' }).first().click();
  await until(async () => (await listSongs().catch(() => [])).filter((s) => s.status === 'done').length === SONGS.length);
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 60_000 });
  // The "indexed" notices would cover the screenshots: read, then dismissed.
  for (const n of await page.getByTestId('notice').all()) await n.getByRole('button', { name: 'Dismiss' }).click().catch(() => undefined);

  // The engine measured a picture mood for every picture; the faceless ones are read by it.
  const portraits = await listPortraits();
  for (const name of FACE_FREE) {
    const p = portraits.find((x) => x.name === name)!;
    assert.equal(p.faces.length, 0, `${name}: no face`);
    assert.equal(p.readingKind, 'picture-mood');
    assert.ok(p.mood && p.mood.confidence < 0.5, `${name}: a low-confidence mood`);
    assert.equal(p.quadrant, null, 'the face fields stay empty');
  }
  for (const name of PORTRAITS) {
    const p = portraits.find((x) => x.name === name)!;
    assert.ok(p.faces.length > 0, `${name} has a face`);
    assert.equal(p.readingKind, 'faces');
    assert.ok(p.mood, 'measured anyway, but the face wins');
  }
  // The fruit still life is brighter and more colourful than the dark foliage: more pleasant.
  const mood = (n: string) => portraits.find((x) => x.name === n)!.mood!;
  assert.ok(mood('crop-met-438821.png').valence > mood('crop-met-436440.png').valence);
});

test('the gallery shows a "picture mood" badge on faceless pictures, never a face badge', async () => {
  const { page } = app;
  await page.getByRole('tab', { name: 'Portraits' }).click();
  for (const name of FACE_FREE) {
    const badge = card(name).locator('[data-quadrant]');
    await badge.waitFor();
    assert.equal(await badge.getAttribute('data-reading'), 'picture-mood', name);
    assert.match((await badge.textContent()) ?? '', /picture mood/);
    assert.match((await card(name).locator('.meta').textContent()) ?? '', /^No face · picture mood$/);
  }
  for (const name of PORTRAITS) {
    const badge = card(name).locator('[data-quadrant]');
    assert.equal(await badge.getAttribute('data-reading'), null, `${name}: a face's badge`);
    assert.doesNotMatch((await badge.textContent()) ?? '', /picture mood/);
  }
  await app.screenshot('picture-mood-gallery');
});

test('the detail view says "picture mood" and how it was read, not "face"', async () => {
  const { page } = app;
  await card(FACE_FREE[0]!).click();
  const detail = page.getByTestId('detail-view');
  await detail.waitFor();
  const mood = detail.getByTestId('picture-mood');
  await mood.waitFor();
  assert.match((await detail.getByTestId('picture-mood-phrase').textContent()) ?? '', /picture mood, from colour and light/);
  assert.match((await mood.textContent()) ?? '', /No face was found, so this is the picture mood/);
  assert.match((await mood.textContent()) ?? '', /Valdez & Mehrabian/);
  assert.equal(await detail.getByTestId('detail-face').count(), 0, 'no face is shown');
  assert.equal(await detail.getByTestId('overall').count(), 0, "no face's overall reading");
  const p = (await listPortraits()).find((x) => x.name === FACE_FREE[0])!;
  assert.equal(Number(await mood.getAttribute('data-valence')), p.mood!.valence);
  await app.screenshot('picture-mood-detail');
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'detached' });
});

test('the V/A plane places picture moods with their own marker', async () => {
  const { page } = app;
  await page.getByRole('tab', { name: 'V/A plane' }).click();
  const moods = page.locator('[data-testid=plane-portrait][data-reading=picture-mood]');
  await moods.first().waitFor();
  assert.equal(await moods.count(), FACE_FREE.length);
  assert.equal(await page.locator('[data-testid=plane-portrait][data-reading=faces]').count(), PORTRAITS.length);
  assert.equal(await moods.locator('circle.mood').count(), FACE_FREE.length, 'a hollow, dashed ring');
  assert.match((await moods.first().getAttribute('aria-label')) ?? '', /^Picture mood of portrait /);
  await page.getByText(/picture mood, no face \(3\)/).waitFor();
  await app.screenshot('picture-mood-plane');
});

test('every picture gets a song in the playlist; a faceless one is matched by its picture mood', async () => {
  const { page } = app;
  await page.getByRole('tab', { name: 'Playlist' }).click();
  await page.getByTestId('playlist-entry').first().waitFor();
  assert.equal(await page.getByTestId('playlist-entry').count(), total, 'every picture has a song');
  for (const name of FACE_FREE) {
    const row = entry(name);
    assert.match((await row.getByTestId('reason').textContent()) ?? '', /picture mood \(colour and light, no face\) →/);
    assert.equal(await row.locator('[data-reading=picture-mood]').count(), 1);
    assert.match((await row.locator('.song .name').textContent()) ?? '', /\S/);
  }
  assert.doesNotMatch((await entry(PORTRAITS[0]!).getByTestId('reason').textContent()) ?? '', /picture mood/);
  assert.equal(await page.getByTestId('picture-mood-toggle').isChecked(), true, 'on by default');
  // Playing a faceless pair names its reading under the stage, not a face.
  await entry(FACE_FREE[0]!).locator('[data-ctl=play]').click();
  await page.getByTestId('stage').waitFor();
  assert.match((await page.getByTestId('stage').textContent()) ?? '', /picture mood/);
  await page.keyboard.press('Space');
  await app.screenshot('picture-mood-playlist');
});

test('with the setting off a faceless picture has no song and no reading; on again, it has both', async () => {
  const { page } = app;
  await page.getByTestId('picture-mood-toggle').uncheck();
  await until(async () => (await page.getByTestId('playlist-entry').count()) === PORTRAITS.length, 10_000);
  for (const name of FACE_FREE) assert.equal(await entry(name).count(), 0, `${name} has no song`);
  const unmatched = page.locator('details.unmatched');
  await unmatched.locator('summary').click();
  assert.match((await unmatched.textContent()) ?? '', /3 portraits without a match[\s\S]*picture moods are turned off/);
  await app.screenshot('picture-mood-playlist-off');
  // The gallery and the detail view follow the same setting.
  await page.getByRole('tab', { name: 'Portraits' }).click();
  for (const name of FACE_FREE) assert.equal(await card(name).locator('[data-quadrant]').count(), 0, `${name}: no badge`);
  await card(FACE_FREE[0]!).click();
  const detail = page.getByTestId('detail-view');
  await detail.getByTestId('no-reading').waitFor();
  assert.match((await detail.getByTestId('no-reading').textContent()) ?? '', /picture moods are turned off/);
  await page.keyboard.press('Escape');
  // On again: every picture has its song back.
  await page.getByRole('tab', { name: 'Playlist' }).click();
  await page.getByTestId('picture-mood-toggle').check();
  await until(async () => (await page.getByTestId('playlist-entry').count()) === total, 10_000);
  assert.deepEqual(app.consoleErrors, []);
});

test('the export agrees with the app: picture-mood pairs say so, and with the setting off they are unmatched', async () => {
  const { page } = app;
  const exportTo = async (name: string) => {
    const target = path.join(work, name);
    app.exportAnswers.push(target);
    await page.getByRole('button', { name: 'Export…' }).click();
    await page.getByTestId('notice').filter({ hasText: new RegExp(`Exported \\d+ pairs to ${target}`) }).waitFor({ timeout: 60_000 });
    return { target, json: JSON.parse(fs.readFileSync(path.join(target, 'pairs.json'), 'utf8')) as { formatVersion: number; pairs: { portrait: { name: string }; reading: { kind: string }; face: unknown }[]; unmatched: { portrait: { name: string }; reason: string }[] } };
  };
  const on = await exportTo('export-on');
  assert.equal(on.json.formatVersion, 2);
  assert.equal(on.json.pairs.length, total);
  for (const name of FACE_FREE) {
    const pair = on.json.pairs.find((p) => p.portrait.name === name)!;
    assert.equal(pair.reading.kind, 'picture-mood');
    assert.equal(pair.face, null);
  }
  assert.ok(on.json.pairs.filter((p) => PORTRAITS.includes(p.portrait.name)).every((p) => p.reading.kind === 'faces' && p.face));
  const csv = fs.readFileSync(path.join(on.target, 'pairs.csv'), 'utf8');
  assert.equal(csv.split('\r\n').filter((l) => l.includes(',picture-mood,')).length, FACE_FREE.length);

  // The contact sheet names the picture mood on each such card.
  const sheet = await page.context().newPage();
  await sheet.goto(`file://${path.join(on.target, 'index.html')}`);
  assert.equal(await sheet.locator('article.card[data-reading="picture-mood"] .badge.mood').count(), FACE_FREE.length);
  assert.match((await sheet.locator('article.card[data-reading="picture-mood"] .badge.mood').first().textContent()) ?? '', /^Picture mood Q/);
  await sheet.screenshot({ path: path.join(SCREENSHOTS, 'picture-mood-contact-sheet.png'), fullPage: true });
  await sheet.close();

  await page.getByTestId('picture-mood-toggle').uncheck();
  const off = await exportTo('export-off');
  assert.equal(off.json.pairs.length, PORTRAITS.length);
  for (const name of FACE_FREE) assert.match(off.json.unmatched.find((u) => u.portrait.name === name)!.reason, /picture moods are turned off/);
  await page.getByTestId('picture-mood-toggle').check();
  assert.deepEqual(app.consoleErrors, []);
});
