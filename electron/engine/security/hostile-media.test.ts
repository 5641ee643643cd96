/**
 * Hostile requests to the media handler (issue 14): a page that tries to read outside the opened
 * folders, to learn what exists on the disk, or to reach the network through a UNC path. Each
 * table row is one attack; the count is printed as a diagnostic.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveMedia, type MediaAccess } from '../media/serve-media.ts';
import { lexicallyAllowed } from '../media/lexical-path.ts';

let tmp: string;
let root: string;
let access: MediaAccess;
const shownThumbs = new Set<string>();
const INSIDE = Buffer.from('inside-bytes '.repeat(40));
const OUTSIDE = 'OUTSIDE-SECRET';
let attacks = 0;

before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ps-hostile-media-')));
  root = path.join(tmp, 'art');
  fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
  fs.mkdirSync(path.join(root, '..cfg'));
  fs.mkdirSync(path.join(tmp, 'art-evil'));
  fs.mkdirSync(path.join(tmp, 'outside'));
  fs.writeFileSync(path.join(tmp, 'outside', 'secret.ogg'), OUTSIDE);
  fs.writeFileSync(path.join(tmp, 'secret.ogg'), OUTSIDE);
  fs.writeFileSync(path.join(tmp, 'art-evil', 'x.ogg'), OUTSIDE);
  fs.writeFileSync(path.join(root, 'sub', 'song.ogg'), INSIDE);
  fs.writeFileSync(path.join(root, '..dots.jpg'), INSIDE);
  fs.writeFileSync(path.join(root, 'a..b.ogg'), INSIDE);
  fs.writeFileSync(path.join(root, '..cfg', 'x.ogg'), INSIDE);
  fs.writeFileSync(path.join(root, 'notes.txt'), 'text');
  fs.mkdirSync(path.join(root, 'folder.ogg'));
  fs.symlinkSync(path.join(tmp, 'secret.ogg'), path.join(root, 'escape.ogg'));
  fs.symlinkSync(path.join(tmp, 'outside'), path.join(root, 'linkdir'));
  fs.symlinkSync(path.join(root, 'notes.txt'), path.join(root, 'renamed.ogg'));
  fs.symlinkSync('/dev/zero', path.join(root, 'zero.ogg'));
  execFileSync('mkfifo', [path.join(root, 'pipe.ogg')]);
  const thumbs = path.join(tmp, 'thumbs');
  fs.mkdirSync(thumbs);
  fs.writeFileSync(path.join(thumbs, 'aaaaaaaa01.jpg'), 'shown');
  fs.writeFileSync(path.join(thumbs, 'bbbbbbbb02.jpg'), 'not shown');
  fs.symlinkSync(path.join(tmp, 'secret.ogg'), path.join(thumbs, 'cccccccc03.jpg'));
  shownThumbs.add('aaaaaaaa01.jpg').add('cccccccc03.jpg');
  access = { roots: () => [root], thumbsDir: thumbs, mayServeThumb: (n) => shownThumbs.has(n) };
});
after((t) => {
  if ('diagnostic' in t) t.diagnostic(`media attacks: ${attacks}`);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const get = (pathPart: string, init: RequestInit = {}) => serveMedia(new Request(`ps-media://media/${pathPart}`, init), access);
const file = (p: string) => `file/${encodeURIComponent(p)}`;

/** Counts every file-system call serve-media makes while `fn` runs. */
async function fsCalls(fn: () => Promise<unknown>): Promise<string[]> {
  const calls: string[] = [];
  const p = fs.promises as unknown as Record<string, (...a: unknown[]) => unknown>;
  const names = ['realpath', 'open', 'lstat', 'stat', 'readlink', 'access', 'readFile', 'opendir', 'readdir'];
  const saved = names.map((n) => p[n]!);
  names.forEach((n, i) => {
    p[n] = (...a: unknown[]) => {
      calls.push(`${n}(${String(a[0])})`);
      return saved[i]!(...a);
    };
  });
  try {
    await fn();
  } finally {
    names.forEach((n, i) => (p[n] = saved[i]!));
  }
  return calls;
}

const answer = async (res: Response) => ({ status: res.status, body: await res.text(), type: res.headers.get('content-type') });

test('finding 3: missing and outside get one answer, decided before any file-system call', async () => {
  const missing = await answer(await get(file(path.join(root, 'no-such.ogg'))));
  assert.equal(missing.status, 404);
  // Pairs an existing and a missing target outside: a page must not tell them apart.
  const outside = [
    '/etc/passwd',
    '/etc/no-such-file',
    path.join(tmp, 'secret.ogg'),
    path.join(tmp, 'nope.ogg'),
    path.join(tmp, 'art-evil', 'x.ogg'), // shares the root's name as a prefix
    path.join(tmp, 'art-evil', 'nope.ogg'),
    tmp,
    '/',
    '//host/share/x.jpg', // UNC, forward slashes
    '\\\\host\\share\\x.jpg', // UNC
    '\\\\?\\C:\\music\\x.mp3', // device namespace
    '\\\\.\\pipe\\x.ogg',
    '//?/C:/x.mp3',
    `/${root}/sub/song.ogg`, // `//…`: a UNC path on Windows, refused everywhere
    'C:\\Windows\\win.ini',
    path.join(root, 'sub', '..', '..', 'secret.ogg'),
    `${root}/./sub/song.ogg`,
    'sub/song.ogg',
  ];
  for (const p of outside) {
    attacks++;
    let got: Awaited<ReturnType<typeof answer>> | undefined;
    const calls = await fsCalls(async () => (got = await answer(await get(file(p)))));
    assert.deepEqual(got, missing, `${p} answered differently from a missing file`);
    assert.deepEqual(calls, [], `${p} reached the file system: ${calls.join(', ')}`);
  }
});

test('finding 3: a link out, a missing file and a swapped-in device answer alike after the check', async () => {
  const missing = await answer(await get(file(path.join(root, 'no-such.ogg'))));
  for (const p of ['escape.ogg', 'linkdir/secret.ogg', 'linkdir/nope.ogg', 'zero.ogg', 'folder.ogg']) {
    attacks++;
    assert.deepEqual(await answer(await get(file(path.join(root, p)))), missing, p);
  }
});

test('finding 1: only regular files are opened; a FIFO is refused at once instead of hanging', async () => {
  attacks++;
  const res = await Promise.race([get(file(path.join(root, 'pipe.ogg'))), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 3000).unref())]);
  assert.notEqual(res, 'hung');
  assert.equal((res as Response).status, 404);
});

test('finding 1: the media type comes from the checked real path, not the name asked for', async () => {
  attacks++;
  const res = await get(file(path.join(root, 'renamed.ogg')));
  assert.equal(res.status, 415);
  assert.equal(await res.text(), 'Unsupported media type');
});

test('finding 5: names that merely start with two dots are served', async () => {
  for (const p of ['..dots.jpg', 'a..b.ogg', '..cfg/x.ogg']) {
    attacks++;
    const res = await get(file(path.join(root, p)));
    assert.equal(res.status, 200, p);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), INSIDE, p);
  }
  assert.equal((await get(file(path.join(root, '..dots.jpg')))).headers.get('content-type'), 'image/jpeg');
});

test('finding 4: thumbnails only for rows the page was shown, and never through a link', async () => {
  const missing = await answer(await get('thumb/ffffffff99.jpg'));
  attacks += 3;
  assert.equal((await get('thumb/aaaaaaaa01.jpg')).status, 200);
  assert.deepEqual(await answer(await get('thumb/bbbbbbbb02.jpg')), missing, 'an existing thumbnail of a row not shown');
  assert.deepEqual(await answer(await get('thumb/cccccccc03.jpg')), missing, 'a thumbnail that is a link out');
  for (const name of ['..%2Fsecret.ogg', 'AAAAAAAA01.jpg', 'aaaaaaaa01.jpg%00', 'aaaaaaaa01.jpg.ogg']) {
    attacks++;
    const res = await get(`thumb/${name}`);
    assert.ok([400, 404].includes(res.status), `${name} → ${res.status}`);
    assert.notEqual(await res.text(), OUTSIDE);
  }
});

test('the served handle is closed on every path (HEAD, 416, empty, streamed, refused)', { skip: process.platform !== 'linux' && 'counts /proc/self/fd' }, async () => {
  const fdCount = () => fs.readdirSync('/proc/self/fd').length;
  fs.writeFileSync(path.join(root, 'empty.ogg'), '');
  const base = fdCount();
  for (let i = 0; i < 50; i++) {
    await get(file(path.join(root, 'sub', 'song.ogg')), { method: 'HEAD' });
    await get(file(path.join(root, 'sub', 'song.ogg')), { headers: { Range: 'bytes=9999-' } });
    await get(file(path.join(root, 'empty.ogg')));
    await (await get(file(path.join(root, 'sub', 'song.ogg')))).arrayBuffer();
    await (await get(file(path.join(root, 'notes.txt')))).text();
    await (await get(file(path.join(root, 'sub', 'song.ogg')))).body?.cancel();
  }
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(fdCount() <= base + 2, `descriptors grew from ${base} to ${fdCount()}`);
});

test('finding 3: Windows rules hold on every platform (checked with path.win32)', () => {
  const roots = ['C:\\Music'];
  const refused = [
    '\\\\nas\\share\\x.mp3',
    '//nas/share/x.mp3',
    '\\\\?\\C:\\Music\\x.mp3',
    '\\\\.\\C:\\Music\\x.mp3',
    '\\/nas/share/x.mp3',
    'C:\\Music\\..\\Windows\\win.ini',
    'C:\\Music\\x.mp3:secret', // NTFS alternate data stream
    'C:\\Music\\CON.mp3', // a device in every folder
    'C:\\Music\\sub\\nul',
    'C:\\Music\\x.mp3.', // Windows drops the dot: another file
    'C:\\Music\\x.mp3 ',
    'C:Music\\x.mp3', // drive-relative
    '\\Music\\x.mp3', // current drive
    'C:\\Music-evil\\x.mp3',
    'D:\\Music\\x.mp3',
    'C:\\Music',
  ];
  for (const p of refused) {
    attacks++;
    assert.equal(lexicallyAllowed(p, roots, path.win32), null, p);
  }
  assert.equal(lexicallyAllowed('C:\\Music\\sub\\x.mp3', roots, path.win32), 'C:\\Music\\sub\\x.mp3');
  assert.equal(lexicallyAllowed('c:\\MUSIC\\x.mp3', roots, path.win32), 'c:\\MUSIC\\x.mp3');
  assert.equal(lexicallyAllowed('C:\\Music\\..dots.jpg', roots, path.win32), 'C:\\Music\\..dots.jpg');
  assert.equal(lexicallyAllowed('C:/Music/x.mp3', roots, path.win32), 'C:\\Music\\x.mp3');
  // A root that is itself a UNC path serves nothing.
  assert.equal(lexicallyAllowed('\\\\nas\\share\\x.mp3', ['\\\\nas\\share'], path.win32), null);
});
