import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveMedia, parseRange, type MediaAccess } from './serve-media.ts';

let tmp: string;
let access: MediaAccess;
let root: string;
const BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ps-media-')));
  root = path.join(tmp, 'music folder é');
  fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(root, 'sub', 'song.ogg'), BYTES);
  fs.writeFileSync(path.join(root, 'notes.txt'), 'hello');
  fs.writeFileSync(path.join(tmp, 'secret.ogg'), 'outside');
  fs.symlinkSync(path.join(tmp, 'secret.ogg'), path.join(root, 'escape.ogg'));
  fs.mkdirSync(path.join(tmp, 'thumbs'));
  fs.writeFileSync(path.join(tmp, 'thumbs', 'abcdef0123.jpg'), 'jpg');
  fs.writeFileSync(path.join(tmp, 'thumbs', '0123456789.jpg'), BYTES);
  fs.mkdirSync(path.join(tmp, 'thumbs', 'fedcba9876.jpg'));
  const shown = new Set(['abcdef0123.jpg', '0123456789.jpg', 'fedcba9876.jpg']);
  access = { roots: () => [root], thumbsDir: path.join(tmp, 'thumbs'), mayServeThumb: (name) => shown.has(name) };
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const get = (pathPart: string, init: RequestInit = {}) => serveMedia(new Request(`ps-media://media/${pathPart}`, init), access);
const file = (p: string) => `file/${encodeURIComponent(p)}`;

test('serves a file inside an opened folder, whole and by range', async () => {
  const whole = await get(file(path.join(root, 'sub', 'song.ogg')));
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get('content-type'), 'audio/ogg');
  assert.equal(whole.headers.get('accept-ranges'), 'bytes');
  assert.deepEqual(Buffer.from(await whole.arrayBuffer()), BYTES);
  assert.equal(whole.headers.get('cache-control'), 'no-cache', 'a person’s file can change in place: revalidated');

  const part = await get(file(path.join(root, 'sub', 'song.ogg')), { headers: { Range: 'bytes=100-199' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), 'bytes 100-199/1000');
  assert.equal(part.headers.get('content-length'), '100');
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), BYTES.subarray(100, 200));

  const tail = await get(file(path.join(root, 'sub', 'song.ogg')), { headers: { Range: 'bytes=-10' } });
  assert.equal(tail.status, 206);
  assert.deepEqual(Buffer.from(await tail.arrayBuffer()), BYTES.subarray(990));

  const open = await get(file(path.join(root, 'sub', 'song.ogg')), { headers: { Range: 'bytes=990-' } });
  assert.equal(open.headers.get('content-range'), 'bytes 990-999/1000');
});

test('answers 416 for a range past the end and HEAD without a body', async () => {
  const bad = await get(file(path.join(root, 'sub', 'song.ogg')), { headers: { Range: 'bytes=5000-6000' } });
  assert.equal(bad.status, 416);
  assert.equal(bad.headers.get('content-range'), 'bytes */1000');
  const head = await get(file(path.join(root, 'sub', 'song.ogg')), { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-length'), '1000');
  assert.equal(head.body, null);
  const post = await get(file(path.join(root, 'sub', 'song.ogg')), { method: 'POST' });
  assert.equal(post.status, 405);
});

test('refuses every way out of the opened folders', async () => {
  const attempts = [
    file(path.join(tmp, 'secret.ogg')), // absolute path outside
    file(path.join(root, '..', 'secret.ogg')), // .. in the path
    `file/${encodeURIComponent(root)}%2F..%2Fsecret.ogg`, // encoded ..
    `file/${encodeURIComponent(encodeURIComponent(path.join(root, '..', 'secret.ogg')))}`, // double-encoded
    file(path.join(root, 'escape.ogg')), // symlink pointing out
    file(`${root}\\..\\secret.ogg`), // Windows-style separators
    file('sub/song.ogg'), // relative
    file(root), // the folder itself
    'thumb/..%2F..%2Fetc%2Fpasswd',
    'thumb/not-a-hash.jpg',
    'other/x',
    `file/${encodeURIComponent(path.join(root, 'sub', 'song.ogg'))}%00`,
  ];
  for (const a of attempts) {
    const res = await get(a);
    assert.ok([400, 403, 404].includes(res.status), `${a} → ${res.status}`);
    assert.notEqual(await res.text(), 'outside');
  }
});

test('refuses types that are not media, and serves thumbnails only from the cache', async () => {
  assert.equal((await get(file(path.join(root, 'notes.txt')))).status, 415);
  const thumb = await get('thumb/abcdef0123.jpg');
  assert.equal(thumb.status, 200);
  assert.equal(await thumb.text(), 'jpg');
  assert.equal(thumb.headers.get('cache-control'), 'private, max-age=31536000, immutable', 'a thumbnail is named by its content: kept');
});

test('a thumbnail is read whole from memory, by range too; a folder under a thumbnail name is not served', async () => {
  const whole = await get('thumb/0123456789.jpg');
  assert.equal(whole.headers.get('content-length'), '1000');
  assert.deepEqual(Buffer.from(await whole.arrayBuffer()), BYTES);
  const part = await get('thumb/0123456789.jpg', { headers: { Range: 'bytes=10-19' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), 'bytes 10-19/1000');
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), BYTES.subarray(10, 20));
  assert.equal((await get('thumb/0123456789.jpg', { headers: { Range: 'bytes=2000-' } })).status, 416);
  assert.equal((await get('thumb/0123456789.jpg', { method: 'HEAD' })).body, null);
  assert.equal((await get('thumb/fedcba9876.jpg')).status, 404);
});

test('parseRange covers the forms browsers send', () => {
  assert.deepEqual(parseRange('bytes=0-', 10), { start: 0, end: 9 });
  assert.deepEqual(parseRange('bytes=2-100', 10), { start: 2, end: 9 });
  assert.equal(parseRange('bytes=10-', 10), 'unsatisfiable');
  assert.equal(parseRange('bytes=-0', 10), 'unsatisfiable');
  assert.equal(parseRange('bytes=0-1,3-4', 10), null);
  assert.equal(parseRange(null, 10), null);
});
