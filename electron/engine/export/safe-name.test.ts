import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { assertSafeFileName, assertSafeRelative, NameAllocator, resolveInside } from './safe-name.ts';
import { playlistLine } from './playlist-m3u8.ts';
import { hrefFor, escapeHtml } from './html-text.ts';

test('generated names that could leave the export folder are refused', () => {
  for (const bad of ['', '.', '..', 'a/b', 'a\\b', '/etc', 'C:evil', 'nul\0byte']) {
    assert.throws(() => assertSafeFileName(bad), { code: 'invalid-name' }, bad);
  }
  for (const bad of ['../x', 'media/../../x', '/abs', 'media//x']) assert.throws(() => assertSafeRelative(bad), { code: 'invalid-name' }, bad);
  assert.equal(resolveInside('/tmp/out', 'media/songs/a b ü.ogg'), path.join('/tmp/out', 'media', 'songs', 'a b ü.ogg'));
});

test('colliding names are numbered before the extension, ignoring case', () => {
  const names = new NameAllocator();
  assert.deepEqual(['Song.ogg', 'song.ogg', 'Song.ogg', 'README', 'readme', '.hidden'].map((n) => names.allocate(n)), [
    'Song.ogg', 'song (2).ogg', 'Song (3).ogg', 'README', 'readme (2)', '.hidden',
  ]);
});

test('playlist and HTML references keep odd names intact', () => {
  assert.equal(playlistLine('#1 song.ogg'), './#1 song.ogg');
  assert.equal(playlistLine('../a b/ü.ogg'), '../a b/ü.ogg');
  assert.equal(hrefFor('../a b/#1 ü?.ogg'), '../a%20b/%231%20%C3%BC%3F.ogg');
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});
