/** Where each song starts for its portrait reaches every export file the same way. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeFixture, type Fixture } from './export-fixture.ts';
import { parseCsv } from './parse-csv.test-helper.ts';
import { CSV_COLUMNS } from './pairs-csv.ts';
import { writeExport } from './write-export.ts';
import type { PairsDocument } from './pairs-json.ts';
import type { StartAt } from '../../../shared/match.ts';

let fx: Fixture;
let n = 0;
before(async () => {
  fx = await makeFixture();
});
after(() => fx.cleanup());

async function exportWith(startAt: StartAt) {
  const dir = path.join(fx.root, `clip out ${++n}`);
  await writeExport(dir, fx.request('match', startAt), { copyMedia: false, overwrite: false });
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  const doc = JSON.parse(read('pairs.json')) as PairsDocument;
  const [header, ...rows] = parseCsv(read('pairs.csv').slice(1));
  return { doc, header: header!, rows, m3u: read('playlist.m3u8'), html: read('index.html') };
}

test('a song with a fitting stretch starts there in JSON, CSV, M3U8 and the contact sheet', async () => {
  const { doc, header, rows, m3u, html } = await exportWith('stretch');
  const sunny = doc.pairs.find((p) => p.song.title.startsWith('Sunny'))!;
  assert.equal(sunny.match.clipStart, 72);
  assert.match(sunny.match.reason, /from 1:12, where it comes closest to the face/);
  const others = doc.pairs.filter((p) => p !== sunny);
  assert.ok(others.length > 0);
  for (const p of others) assert.equal(p.match.clipStart, 0, 'no timeline: from the beginning');

  assert.equal(header.at(-1), 'clip_start', 'a new column goes last, so readers by position keep working');
  const clip = (i: number) => rows[i]![CSV_COLUMNS.indexOf('clip_start')];
  const at = rows.findIndex((r) => r[CSV_COLUMNS.indexOf('song_title')]!.startsWith('Sunny'));
  assert.equal(clip(at), '72');
  for (let i = 0; i < rows.length; i++) {
    if (i === at) continue;
    assert.equal(clip(i), rows[i]![CSV_COLUMNS.indexOf('status')] === 'paired' ? '0' : '', `row ${i}`);
  }

  // VLC's option sits between the entry's #EXTINF and its path, for that entry only.
  const lines = m3u.trimEnd().split('\n');
  const opt = lines.indexOf('#EXTVLCOPT:start-time=72');
  assert.ok(opt > 0, m3u);
  assert.match(lines[opt - 1]!, /^#EXTINF:183,.*Sunny/);
  assert.equal(lines[opt + 1], sunny.song.path);
  assert.equal(lines.filter((l) => l.startsWith('#EXTVLCOPT')).length, 1);

  const card = html.split('<article').find((c) => c.includes('Sunny &lt;b&gt;'))!;
  assert.match(card, /· from 1:12<\/div>/);
  assert.match(card, /<audio controls preload="none" src="[^"#]+\.ogg#t=72" data-clip-start="72">/);
  assert.equal(html.match(/from \d+:\d\d<\/div>/g)?.length, 1, 'only the clipped song says "from"');
});

test('"start at the beginning" exports every start as 0 and no VLC option', async () => {
  const { doc, rows, m3u, html } = await exportWith('beginning');
  for (const p of doc.pairs) assert.equal(p.match.clipStart, 0);
  for (const r of rows.filter((x) => x[CSV_COLUMNS.indexOf('status')] === 'paired')) assert.equal(r[CSV_COLUMNS.indexOf('clip_start')], '0');
  assert.ok(!m3u.includes('#EXTVLCOPT'));
  assert.ok(!/#t=|from \d+:\d\d/.test(html));
});
