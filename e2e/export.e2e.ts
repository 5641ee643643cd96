/** The exported contact sheet opened from disk in Chromium: offline, no console errors, every portrait shown. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright';
import { CHROMIUM_ARGS, SCREENSHOTS } from './harness/launch.ts';
import { chromiumExecutable } from './harness/chromium-path.ts';
import { makeFixture, type Fixture } from '../electron/engine/export/export-fixture.ts';
import { writeExport } from '../electron/engine/export/write-export.ts';

let fx: Fixture;
let browser: Browser;

before(async () => {
  fx = await makeFixture();
  browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  fx?.cleanup();
});

for (const copyMedia of [false, true]) {
  test(`index.html opens offline with no console errors (copyMedia ${copyMedia})`, async () => {
    const dir = path.join(fx.root, `Exports ünï 名前 ${copyMedia ? 'portable' : 'linked'}`);
    await writeExport(dir, fx.request(), { copyMedia, overwrite: false });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(path.join(dir, 'index.html')).href, { waitUntil: 'load' });

    assert.deepEqual(errors, []);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), [], 'nothing but the page and its data: images');
    assert.equal(await page.locator('article.card').count(), 5);
    assert.equal(await page.locator('article.card[data-status="paired"]').count(), 3);
    assert.equal(await page.locator('article.card[data-status="unmatched"]').count(), 2);
    // Every embedded thumbnail decoded (a CSP block or a bad data: URI would leave it empty).
    const widths = await page.locator('article.card img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
    assert.equal(widths.length, 4);
    assert.ok(widths.every((w) => w > 0), `thumbnail widths ${widths}`);
    // Face boxes lie inside their pictures; the two-face portrait shows both, one chosen.
    const boxes = await page.locator('article.card figure').evaluateAll((figs) =>
      figs.map((f) => {
        const r = f.getBoundingClientRect();
        return [...f.querySelectorAll('.box')].map((b) => {
          const x = b.getBoundingClientRect();
          return { inside: x.left >= r.left - 1 && x.right <= r.right + 1 && x.top >= r.top - 1 && x.bottom <= r.bottom + 1, chosen: b.classList.contains('chosen') };
        });
      }),
    );
    assert.deepEqual(boxes.map((b) => b.length), [1, 2, 1, 0]);
    assert.ok(boxes.flat().every((b) => b.inside));
    assert.equal(boxes[1]!.filter((b) => b.chosen).length, 1);
    // Titles are shown as text, markup and all.
    assert.equal(await page.locator('.title a').first().textContent(), 'Sunny <b>"Day"</b> & more');
    // Each song link and player leads to a file that exists.
    const hrefs = await page.locator('.title a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    const players = await page.locator('audio').evaluateAll((els) => els.map((a) => ({ src: (a as HTMLAudioElement).src, clip: a.getAttribute('data-clip-start') })));
    // A player starts at its pair's clip (a media fragment); the link is the plain file.
    assert.deepEqual(players.map((p) => p.src), hrefs.map((h, i) => (players[i]!.clip ? `${h}#t=${players[i]!.clip}` : h)));
    const starts = (JSON.parse(fs.readFileSync(path.join(dir, 'pairs.json'), 'utf8')) as { pairs: { match: { clipStart: number } }[] }).pairs.map((p) => p.match.clipStart);
    assert.deepEqual(players.map((p) => Number(p.clip ?? 0)), starts);
    assert.equal(hrefs.length, 3);
    for (const h of hrefs) {
      const file = fileURLToPath(h);
      assert.ok(fs.existsSync(file), file);
      if (copyMedia) assert.ok(file.startsWith(dir + path.sep));
    }
    assert.equal(await page.locator('audio[preload="none"]').count(), 3);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `30-export-sheet${copyMedia ? '-portable' : ''}.png`), fullPage: true });
    await page.close();
  });
}
