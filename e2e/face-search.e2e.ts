/**
 * Issue 23, a quicker face search for large archives: the person switches to Quick in the footer,
 * the choice outlives a reload of the page, and the demo portraits are analysed with it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchApp, until, DATA, type RunningApp } from './harness/launch.ts';
import type { Portrait } from '../shared/api.ts';

const DEMO = path.join(DATA, 'portraits', 'demo');
let app: RunningApp;

before(async () => {
  app = await launchApp({ viewport: { width: 1440, height: 900 } });
});
after(async () => {
  await app?.close();
});

const control = () => app.page.getByTestId('face-search').getByRole('combobox', { name: 'Face search' });
/** What the control shows once the app info has come (until then it is disabled). */
const shown = (value: string) =>
  app.page.waitForFunction((v) => {
    const select = document.querySelector('[data-testid=face-search] select') as HTMLSelectElement | null;
    return !!select && !select.disabled && select.value === v;
  }, value);

test('the footer offers the face search, thorough until the person chooses, and says what each does', async () => {
  const { page } = app;
  await page.getByTestId('empty-state').waitFor();
  await shown('thorough');
  const select = control();
  const help = (await page.getByTestId('face-search').getAttribute('title')) ?? '';
  assert.match(help, /coins, sculpture and prints/);
  assert.match(help, /3× faster/);
  assert.match(help, /analyses open folders again the next time they are scanned/);
  assert.deepEqual(await select.locator('option').allTextContents(), ['Thorough', 'Quick']);
});

test('switching to Quick says what happens next and is kept across a reload', async () => {
  const { page } = app;
  await control().focus();
  await control().selectOption('quick');
  await page.getByTestId('notice').filter({ hasText: /Quick face search from now on: open folders are analysed again/ }).waitFor();
  assert.equal(await page.evaluate(() => window.api.getAppInfo().then((i) => i.faceSearch)), 'quick');
  await app.screenshot('face-search-01-quick');

  await page.reload();
  await page.getByTestId('empty-state').waitFor();
  await shown('quick');
});

test('the demo folder is analysed with the quick search and shows its faces', async () => {
  const { page } = app;
  app.dialogAnswers.push(DEMO);
  await page.getByRole('button', { name: 'Open folder…' }).first().click();
  await page.getByTestId('progress').waitFor({ timeout: 30_000 });
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 240_000 });
  await page.getByText('60 images ·').waitFor();
  let portraits: Portrait[] = [];
  await until(async () => {
    portraits = (await page.evaluate((folder) => window.api.listPortraits({ folder }), DEMO)) as Portrait[];
    return portraits.length === 60 && portraits.every((p) => p.status === 'done');
  });
  // The quick search finds the same faces on paintings (the demo set: 60 of 60 with the CLI).
  const withFaces = portraits.filter((p) => p.faces.length > 0).length;
  assert.ok(withFaces >= 50, `only ${withFaces} of 60 portraits with a face`);
  await page.waitForFunction(() => [...document.images].filter((i) => i.complete && i.naturalWidth > 0).length >= 8);
  await shown('quick');
  await app.screenshot('face-search-02-gallery');
  // A smaller window: the footer gives way without hiding the control.
  await page.setViewportSize({ width: 1024, height: 700 });
  assert.ok(await control().isVisible());
  await app.screenshot('face-search-03-narrow');
  assert.deepEqual(app.consoleErrors, []);
});
