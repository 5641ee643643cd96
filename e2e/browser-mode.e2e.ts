/**
 * Browser mode as it ships (node dist/web/serve.js, the bundled engine behind it): what it
 * refuses, the in-app folder picker, and `npm start` falling back to it where Electron cannot run.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright';
import { CHROMIUM_ARGS, DATA, REPO, SCREENSHOTS, launchApp, startServer, stopServer, type RunningApp } from './harness/launch.ts';
import { chromiumExecutable } from './harness/chromium-path.ts';

const DEMO = path.join(DATA, 'portraits', 'demo');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-browser-'));
let server: Awaited<ReturnType<typeof startServer>>;
let origin: string;
let port: number;
let cookie: string;

before(async () => {
  server = await startServer(path.join(tmp, 'data'));
  origin = new URL(server.url).origin;
  port = Number(new URL(server.url).port);
  const entered = await request({ path: new URL(server.url).pathname + new URL(server.url).search });
  assert.equal(entered.status, 303);
  cookie = String(entered.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
});
after(async () => {
  await stopServer(server.child);
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request, so the Host, Origin and Cookie headers are exactly what an attacker would send. */
function request(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string; host?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { Host: opts.host ?? `127.0.0.1:${port}`, ...opts.headers }, setHost: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const api = (channel: string, arg: unknown, headers: Record<string, string> = {}) =>
  request({
    method: 'POST',
    path: `/api/${channel}`,
    headers: { 'Content-Type': 'application/json', Origin: origin, Cookie: cookie, ...headers },
    body: JSON.stringify({ arg }),
  });

test('the opened URL sets an HttpOnly SameSite=Strict cookie and drops the secret from the address', async () => {
  const entered = await request({ path: new URL(server.url).pathname + new URL(server.url).search });
  assert.equal(entered.headers.location, '/');
  assert.match(String(entered.headers['set-cookie']), /HttpOnly/);
  assert.match(String(entered.headers['set-cookie']), /SameSite=Strict/);
  const page = await request({ path: '/', headers: { Cookie: cookie } });
  assert.equal(page.status, 200);
  assert.match(page.body, /<div id="app">/);
  assert.match(String(page.headers['content-security-policy']), /default-src 'none'.*frame-ancestors 'none'/);
  assert.equal(page.headers['access-control-allow-origin'], undefined, 'no CORS');
  const ok = await api('ps:get-app-info', undefined);
  assert.equal(ok.status, 200);
  const info = JSON.parse(ok.body) as { ok: boolean; value: { folderPicker: string; mediaBase: string } };
  assert.equal(info.ok, true);
  assert.equal(info.value.folderPicker, 'in-app');
});

test('refusals: no cookie, a wrong secret, a foreign Host, a foreign or missing Origin, a wrong method', async () => {
  const refusals: [string, Promise<Answer>][] = [
    ['page without the cookie', request({ path: '/' })],
    ['script without the cookie', request({ path: '/index.html' })],
    ['events without the cookie', request({ path: '/events' })],
    ['media without the cookie', request({ path: '/media/file/%2Fetc%2Fpasswd' })],
    ['wrong secret in the URL', request({ path: '/?token=guess' })],
    ['a forged cookie', request({ path: '/', headers: { Cookie: 'ps_session=guess' } })],
    ['DNS rebinding: a foreign Host with the cookie', request({ path: '/', host: `evil.example:${port}`, headers: { Cookie: cookie } })],
    ['another port in Host', request({ path: '/', host: `127.0.0.1:${port + 1}`, headers: { Cookie: cookie } })],
    ['API call without the cookie', api('ps:get-app-info', undefined, { Cookie: '' })],
    ['API call from another origin', api('ps:get-app-info', undefined, { Origin: 'http://evil.example' })],
    ['API call from another loopback port', api('ps:get-app-info', undefined, { Origin: `http://127.0.0.1:${port + 1}` })],
    ['API call with a null origin', api('ps:get-app-info', undefined, { Origin: 'null' })],
    [
      'API call without Origin',
      request({ method: 'POST', path: '/api/ps:get-app-info', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: '{}' }),
    ],
  ];
  for (const [what, answer] of refusals) assert.equal((await answer).status, 403, what);
  assert.equal((await request({ method: 'GET', path: '/api/ps:get-app-info', headers: { Cookie: cookie } })).status, 405, 'API by GET');
  assert.equal((await api('ps:get-app-info', undefined, { 'Content-Type': 'text/plain' })).status, 415, 'a simple form post');
  const unknown = JSON.parse((await api('ps:no-such-thing', {})).body) as { ok: boolean; error: { code: string } };
  assert.deepEqual([unknown.ok, unknown.error.code], [false, 'unknown-channel']);
  const invalid = JSON.parse((await api('ps:browse-folders', { path: 'relative/path' })).body) as { ok: boolean; error: { code: string } };
  assert.deepEqual([invalid.ok, invalid.error.code], [false, 'invalid-argument']);
  assert.equal((await request({ path: '/media/file/%2Fetc%2Fpasswd', headers: { Cookie: cookie } })).status, 404, 'media outside the opened folders');
  assert.equal((await request({ path: '/../../etc/passwd', headers: { Cookie: cookie } })).status, 404, 'static files only from the renderer');
});

test('it listens on the loopback address only', async () => {
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  if (!external) return; // no other interface to try on this machine
  const reached = await new Promise<boolean>((resolve) => {
    const req = http.get({ host: external, port, path: '/', timeout: 2000 }, () => resolve(true));
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
  assert.equal(reached, false);
});

let app: RunningApp;
test('the in-app folder picker lists folders, walks up and down, explains a wrong path, and opens the chosen folder', async () => {
  app = await launchApp({ viewport: { width: 1280, height: 720 } });
  try {
    const { page } = app;
    await page.getByTestId('empty-state').waitFor();
    // A person opens the picker and walks to the demo folder by clicking.
    await page.keyboard.press('Control+o');
    const picker = page.locator('[data-testid=folder-picker][data-ready=true]');
    await picker.waitFor();
    const input = picker.getByTestId('folder-picker-path');
    assert.equal(await input.inputValue(), os.homedir(), 'it starts at the home folder');
    await input.fill(path.join(DATA, 'portraits', 'no-such-folder'));
    await input.press('Enter');
    await picker.getByRole('alert').filter({ hasText: 'does not exist' }).waitFor();
    // "Open this folder" on a mistyped path keeps the picker open with the path and says why.
    await input.fill(path.join(DATA, 'portraits', 'no-such-folder-either'));
    await picker.getByTestId('folder-picker-choose').click();
    await picker.getByRole('alert').filter({ hasText: 'no-such-folder-either' }).waitFor();
    assert.equal(await input.inputValue(), path.join(DATA, 'portraits', 'no-such-folder-either'));
    assert.equal(await page.getByTestId('notice').count(), 0);
    await input.fill(path.join(DATA, 'portraits'));
    await input.press('Enter');
    await picker.getByRole('button', { name: '📁 demo' }).click();
    await page.waitForFunction((want) => (document.querySelector('[data-testid=folder-picker-path]') as HTMLInputElement | null)?.value === want, DEMO);
    await picker.getByRole('button', { name: /Up to/ }).waitFor();
    await app.screenshot('browser-mode-picker');
    await picker.getByTestId('folder-picker-choose').click();
    await picker.waitFor({ state: 'detached' });
    await page.getByTestId('face-box').first().waitFor({ timeout: 120_000 });
    // The folder is now in the recent list: the picker offers it as a shortcut.
    await page.keyboard.press('Control+o');
    await picker.waitFor();
    await picker.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'demo' }).waitFor();
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    assert.deepEqual(app.consoleErrors, []);
  } finally {
    await app.close();
  }
});

test('npm start without the Electron binary says so in one sentence and serves the app; the gallery shows faces', async () => {
  const data = path.join(tmp, 'start-data');
  const child = spawn('npm', ['start', '--silent'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORTRAIT_SONGS_NO_ELECTRON: '1', PORTRAIT_SONGS_DATA_DIR: data, DISPLAY: '', WAYLAND_DISPLAY: '' },
    detached: true,
  });
  const lines: string[] = [];
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const rl = readline.createInterface({ input: child.stdout! });
      let printed: string | null = null;
      rl.on('line', (line) => {
        lines.push(line);
        printed ??= /running at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(line)?.[1] ?? null;
        if (printed && /Press Ctrl\+C to stop/.test(line)) resolve(printed);
      });
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${lines.join('\n')}`)));
    });
    assert.ok(lines.some((l) => /^Electron cannot start here \(.+\), so Portrait Songs runs in your browser instead\.$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /Open that address in a browser/.test(l)), 'with no display it prints the address to open');
    const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(url);
      await page.getByTestId('empty-state').waitFor();
      await page.keyboard.press('Control+o');
      const picker = page.locator('[data-testid=folder-picker][data-ready=true]');
      await picker.getByTestId('folder-picker-path').fill(DEMO);
      await picker.getByTestId('folder-picker-choose').click();
      await page.getByTestId('face-box').first().waitFor({ timeout: 120_000 });
      // Thumbnails come through the media route with the session cookie.
      await page.waitForFunction(() => [...document.images].some((i) => i.complete && i.naturalWidth > 0), null, { timeout: 30_000 });
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'npm-start-browser-mode.png') });
    } finally {
      await browser.close();
    }
  } finally {
    // Ctrl+C, as a person stops it: the whole process group, then a clean exit.
    const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`${code ?? signal}`)));
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGINT');
    // npm itself dies of the SIGINT, as it does in a terminal; the server below it stops cleanly.
    assert.match(await exited, /^(0|SIGINT)$/, lines.join('\n'));
  }
  assert.ok(lines.some((l) => /Stopped\. Everything analysed so far is kept\./.test(l)), lines.join('\n'));
});
