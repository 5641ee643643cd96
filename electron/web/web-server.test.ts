import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { ApiHandlers } from '../../shared/api.ts';
import { SESSION_COOKIE } from './web-auth.ts';
import { startWebServer } from './web-server.ts';

/** This process's open descriptors that point at `file`. */
function openOn(file: string): number {
  let n = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`) === file) n++;
    } catch {
      // closed while listing
    }
  }
  return n;
}

test('a media request the page drops closes the file at once, not at garbage collection', { skip: process.platform !== 'linux' && 'reads /proc/self/fd' }, async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ps-web-')));
  const song = path.join(root, 'long.ogg');
  fs.writeFileSync(song, Buffer.alloc(32 << 20, 7)); // far more than the socket buffers hold
  const secret = 'x'.repeat(43);
  const server = await startWebServer({
    rendererDir: root,
    handlers: {} as ApiHandlers,
    media: { roots: () => [root], thumbsDir: path.join(root, 'thumbs'), mayServeThumb: () => false },
    subscribe: () => () => undefined,
    secret,
  });
  try {
    const url = new URL(`/media/file/${encodeURIComponent(song)}`, server.origin);
    const got = await new Promise<{ status: number; first: number }>((resolve, reject) => {
      const req = http.get(url, { headers: { Cookie: `${SESSION_COOKIE}=${secret}` } }, (res) => {
        res.once('data', (chunk: Buffer) => {
          resolve({ status: res.statusCode ?? 0, first: chunk.length });
          req.destroy(); // the page gives up on it, as Chromium does for an unmounted <img>
        });
      });
      req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
    });
    assert.equal(got.status, 200);
    assert.ok(got.first > 0);
    const deadline = Date.now() + 3000;
    while (openOn(song) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(openOn(song), 0, 'the served file is still open after the request was dropped');
  } finally {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
