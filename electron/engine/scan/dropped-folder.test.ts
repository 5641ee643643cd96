import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../engine-error.ts';
import { commonFolder, countMedia, decideFolderKind, resolveDroppedPaths } from './dropped-folder.ts';

let tmp: string;
const touch = (rel: string) => {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, 'x');
  return p;
};

before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ps-drop-')));
  for (const f of ['art/a.jpg', 'art/b.PNG', 'art/sub/c.webp', 'art/notes.txt', 'art/theme.mp3']) touch(f);
  for (const f of ['songs/one.ogg', 'songs/two.flac', 'songs/disc 2/three.m4a', 'songs/cover.jpg', 'songs/.hidden/x.jpg', 'songs/.y.png']) touch(f);
  for (const f of ['docs/readme.txt', 'docs/list.csv', 'tie/a.jpg', 'tie/b.mp3']) touch(f);
  fs.mkdirSync(path.join(tmp, 'empty'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const rejects = async (paths: string[], code: EngineError['code'], message: RegExp) => {
  await assert.rejects(resolveDroppedPaths(paths), (err: unknown) => {
    assert.ok(err instanceof EngineError, String(err));
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  });
};

test('decideFolderKind: the majority decides; nothing, or a tie, is refused with a reason', () => {
  assert.deepEqual(decideFolderKind({ images: 5, audio: 1 }, 'x'), { kind: 'portraits' });
  assert.deepEqual(decideFolderKind({ images: 2, audio: 30 }, 'x'), { kind: 'music' });
  const none = decideFolderKind({ images: 0, audio: 0 }, 'Docs');
  assert.ok('reason' in none && /Nothing to open in Docs: it holds no images .* and no audio files/.test(none.reason));
  const tie = decideFolderKind({ images: 3, audio: 3 }, 'Mixed');
  assert.ok('reason' in tie && /as many images as audio files \(3 each\).*Open portraits or Open music/.test(tie.reason));
});

test('commonFolder: the deepest folder every item lies in', () => {
  assert.equal(commonFolder(['/a/b/c']), '/a/b/c');
  assert.equal(commonFolder(['/a/b/c', '/a/b/d/e', '/a/b']), '/a/b');
  assert.equal(commonFolder(['/a/bc', '/a/b']), '/a', 'segments, not string prefixes');
  assert.equal(commonFolder(['/a', '/b']), '/');
});

test('countMedia counts images and audio below a folder, hidden ones left out, and stops at its limit', async () => {
  assert.deepEqual(await countMedia(path.join(tmp, 'songs')), { images: 1, audio: 3, complete: true });
  const capped = await countMedia(tmp, 3);
  assert.equal(capped.complete, false);
});

test('a dropped folder opens as portraits or music by what it holds', async () => {
  assert.deepEqual(await resolveDroppedPaths([path.join(tmp, 'art')]), { folder: path.join(tmp, 'art'), kind: 'portraits', images: 3, audio: 1 });
  assert.deepEqual(await resolveDroppedPaths([path.join(tmp, 'songs')]), { folder: path.join(tmp, 'songs'), kind: 'music', images: 1, audio: 3 });
});

test('dropped files open their common folder, by what the files are', async () => {
  const music = await resolveDroppedPaths([path.join(tmp, 'songs/one.ogg'), path.join(tmp, 'songs/disc 2/three.m4a')]);
  assert.deepEqual(music, { folder: path.join(tmp, 'songs'), kind: 'music', images: 0, audio: 2 });
  const art = await resolveDroppedPaths([path.join(tmp, 'art/sub/c.webp')]);
  assert.deepEqual(art, { folder: path.join(tmp, 'art/sub'), kind: 'portraits', images: 1, audio: 0 });
});

test('unusable drops say why', async () => {
  await rejects([path.join(tmp, 'empty')], 'invalid-argument', /Nothing to open in “empty”/);
  await rejects([path.join(tmp, 'docs')], 'invalid-argument', /no images .* and no audio files/);
  await rejects([path.join(tmp, 'docs/readme.txt')], 'invalid-argument', /readme\.txt is neither an image nor an audio file/);
  await rejects([path.join(tmp, 'tie')], 'invalid-argument', /as many images as audio files/);
  await rejects([path.join(tmp, 'gone')], 'not-found', /does not exist/);
  await rejects(['/'], 'invalid-argument', /top of the disk/);
});

test('paths are checked like any argument: absolute, no NUL, local', async () => {
  await rejects(['relative/folder'], 'invalid-argument', /not a full path/);
  await rejects([`${tmp}/art\0/x`], 'invalid-argument', /not a full path/);
  await rejects([], 'invalid-argument', /Nothing was dropped/);
});
