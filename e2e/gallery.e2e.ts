/**
 * The first slice, as a person uses it: open the demo portraits, watch the analysis, browse the
 * gallery with face boxes and quadrant badges, open a portrait's detail view.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchApp, DATA, type RunningApp } from './harness/launch.ts';

const DEMO = path.join(DATA, 'portraits', 'demo');
let app: RunningApp;

before(async () => {
  app = await launchApp({ viewport: { width: 1440, height: 900 } });
});
after(async () => {
  await app?.close();
});

test('an empty window invites the person to open a folder and shows the backend', async () => {
  const { page } = app;
  await page.getByTestId('empty-state').waitFor();
  // The footer says where faces are read in plain words; the backend's name is in its tooltip.
  await page.getByTestId('backend').filter({ hasText: 'on this computer' }).waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=backend]')?.getAttribute('title')?.includes('wasm'));
  // ONNX Runtime's execution provider beside it (the CPU here: no graphics card on the test machines),
  // with what was passed over and why in its tooltip.
  const provider = page.getByTestId('onnx-provider');
  await provider.filter({ hasText: /^ONNX Runtime · (CPU|CUDA|DirectML|CoreML)$/ }).waitFor();
  assert.match((await provider.getAttribute('title')) ?? '', /execution provider/);
  await app.screenshot('01-empty');
});

test('cancelling the folder dialog changes nothing', async () => {
  const { page } = app;
  app.dialogAnswers.push(null);
  await page.getByRole('button', { name: 'Open folder…' }).first().click();
  await page.waitForTimeout(300);
  assert.equal(await page.getByTestId('empty-state').count(), 1);
});

test('opening the demo folder analyses every portrait with progress, then shows the gallery', async () => {
  const { page } = app;
  app.dialogAnswers.push(DEMO);
  await page.keyboard.press('Control+o');
  const progress = page.getByTestId('progress');
  await progress.waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => /\b[1-9]\d* \/ 60\b/.test(document.querySelector('[data-testid=progress]')?.textContent ?? ''), null, {
    timeout: 60_000,
  });
  const text = await progress.textContent();
  assert.match(text ?? '', /Analysing portraits/);
  await app.screenshot('02-analysing');
  await progress.waitFor({ state: 'detached', timeout: 240_000 });
  await page.getByText('60 images ·').waitFor();
  await page.waitForFunction(() => [...document.images].filter((i) => i.complete && i.naturalWidth > 0).length >= 8);
  await app.screenshot('03-gallery');
});

test('at least 50 of the 60 portraits show a face box, every card is reachable by scrolling', async () => {
  const { page } = app;
  const seen = new Map<string, { name: string; faces: number; boxes: number; badge: boolean }>();
  const gallery = page.getByTestId('gallery');
  for (let i = 0; i < 40; i++) {
    const cards = await page.$$eval('[data-testid=portrait-card]', (els) =>
      els.map((el) => ({
        name: el.getAttribute('aria-label') ?? '',
        faces: Number(el.getAttribute('data-faces')),
        boxes: el.querySelectorAll('[data-testid=face-box]').length,
        badge: !!el.querySelector('[data-quadrant]'),
      })),
    );
    for (const c of cards) seen.set(c.name, c);
    const atEnd = await gallery.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 2);
    if (atEnd) break;
    await gallery.evaluate((el) => el.scrollBy(0, el.clientHeight * 0.8));
    await page.waitForTimeout(50);
  }
  assert.equal(seen.size, 60, 'every portrait appears in the gallery');
  const withBoxes = [...seen.values()].filter((c) => c.boxes > 0);
  assert.ok(withBoxes.length >= 50, `only ${withBoxes.length} portraits show a face box`);
  for (const c of withBoxes) {
    assert.equal(c.boxes, c.faces, `${c.name}: one box per face`);
    assert.ok(c.badge, `${c.name}: a portrait with faces has a quadrant badge`);
  }
  // The virtualised grid keeps far fewer cards in the DOM than there are portraits.
  const rendered = await page.getByTestId('portrait-card').count();
  assert.ok(rendered < 60, `gallery renders ${rendered} cards at once`);
  await gallery.evaluate((el) => el.scrollTo(0, 0));
});

test('a flung gallery holds back new pictures while it flies and shows every one once it stops', async () => {
  const { page } = app;
  const gallery = page.getByTestId('gallery');
  // 400 px a frame, end to end and back: far past the fling speed, as a flicked touchpad goes.
  const maxPlaceholders = await gallery.evaluate(async (el) => {
    let most = 0;
    let dir = 1;
    for (let frame = 0; frame < 120; frame++) {
      await new Promise((r) => requestAnimationFrame(r));
      most = Math.max(most, el.querySelectorAll('[data-testid=picture-placeholder][data-waiting=fling]').length);
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 2) dir = -1;
      if (dir < 0 && el.scrollTop <= 0) break;
      el.scrollTop += dir * 400;
    }
    return most;
  });
  assert.ok(maxPlaceholders > 0, 'cards that came into view during the fling waited with their pictures');
  await app.screenshot('03b-gallery-after-fling');
  // Once it stops, every card on screen shows its picture, loaded.
  await page.waitForFunction(() => {
    const cards = [...document.querySelectorAll('[data-testid=portrait-card][data-status=done]')];
    return (
      cards.length > 0 &&
      !document.querySelector('[data-testid=picture-placeholder]') &&
      cards.every((c) => {
        const img = c.querySelector('img');
        return !!img && img.complete && img.naturalWidth > 0;
      })
    );
  });
});

test('a portrait opens in a detail view with its faces and numbers; keys step and close it', async () => {
  const { page } = app;
  const card = page.locator('[data-testid=portrait-card][data-faces="2"]').first();
  const name = await card.getAttribute('aria-label');
  await card.click();
  const detail = page.getByTestId('detail-view');
  await detail.waitFor();
  assert.equal(await detail.getByTestId('detail-face').count(), 2, `${name} shows both faces`);
  assert.equal(await detail.getByTestId('face-box').count(), 2);
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-testid=detail-view] img') as HTMLImageElement | null;
    return !!img && img.complete && img.naturalWidth > 0;
  });
  assert.match((await detail.textContent()) ?? '', /valence [+-]\d\.\d\d · arousal [+-]\d\.\d\d/);
  await app.screenshot('04-detail');
  const title = await detail.locator('h2').textContent();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((t) => document.querySelector('[data-testid=detail-view] h2')?.textContent !== t, title);
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'detached' });
});

test('the quadrant filter narrows the gallery', async () => {
  const { page } = app;
  // The smallest quadrant chip, so the filtered cards all fit on screen.
  const chips = page.getByRole('button', { name: /^(Q[1-4]|N) \w+ \d+$/ });
  const labels = (await chips.allTextContents()).map((t) => t.trim().split(/\s+/));
  const [q, word, n] = labels.sort((a, b) => Number(a[2]) - Number(b[2]))[0]!;
  await page.getByRole('button', { name: new RegExp(`^${q} ${word} ${n}$`) }).click();
  await page.waitForFunction((k) => document.querySelectorAll('[data-testid=portrait-card]').length === k, Number(n));
  const badges = await page.getByTestId('portrait-card').evaluateAll((els) => els.map((e) => e.querySelector('[data-quadrant]')?.getAttribute('data-quadrant')));
  assert.ok(badges.every((b) => b === q), `${badges} all ${q}`);
  await app.screenshot('05-filter');
  await page.getByRole('button', { name: /^All \d+/ }).click();
});

test('re-opening the same folder reuses the catalog and analyses nothing again', async () => {
  const { page } = app;
  const result = await page.evaluate(() => window.api.getAppInfo().then((i) => i.recentFolders.map((f) => f.path)));
  assert.ok(result.includes(DEMO));
  const opened = await page.evaluate((p) => window.api.openRecentFolder({ path: p, kind: 'portraits' }), DEMO);
  assert.equal(opened.jobId, null);
  assert.equal(opened.total, 60);
  const refused = await page.evaluate(() => window.api.openRecentFolder({ path: '/etc', kind: 'portraits' }).then(() => 'opened', (e: Error) => e.message));
  assert.match(refused, /not in the recent list/);
  assert.deepEqual(app.consoleErrors, []);
});
