import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { makeFixture, type Fixture } from './export-fixture.ts';
import { parseCsv } from './parse-csv.test-helper.ts';
import { CSV_COLUMNS, pairsCsv } from './pairs-csv.ts';
import { writeExport, ExportError, type ExportResult } from './write-export.ts';
import { pairsDocument, pairsJson, type PairsDocument } from './pairs-json.ts';
import { buildRows } from './export-rows.ts';
import { contactSheet } from './contact-sheet.ts';
import { planMedia } from './media-plan.ts';
import { thumbnailDataUri } from './thumbnail-data-uri.ts';
import { APP_VERSION } from '../version.ts';

const SCHEMA = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../shared/pairs.schema.json'), 'utf8'));
// Formats are annotations here (ajv-formats is not installed); createdAt is checked by hand.
const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(SCHEMA);

let fx: Fixture;
let n = 0;
/** A fresh, not-yet-existing target with spaces and non-ASCII in its name. */
const target = () => path.join(fx.root, 'out', `Exports ünï 名前 ${++n}`);

before(async () => {
  fx = await makeFixture();
  fs.mkdirSync(path.join(fx.root, 'out'));
});
after(() => fx.cleanup());

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
/** Hidden siblings are where atomic writes happen; none may be left behind. */
const leftovers = (dir: string) => fs.readdirSync(path.dirname(dir)).filter((f) => f.startsWith('.'));

function m3uPaths(text: string): string[] {
  return text.split('\n').filter((l) => l && !l.startsWith('#'));
}

function assertRefsResolve(dir: string, doc: PairsDocument, playlist: string) {
  for (const p of doc.pairs) {
    assert.ok(fs.existsSync(path.resolve(dir, p.portrait.path)), `portrait ${p.portrait.path}`);
    assert.ok(fs.existsSync(path.resolve(dir, p.song.path)), `song ${p.song.path}`);
  }
  for (const u of doc.unmatched) assert.ok(fs.existsSync(path.resolve(dir, u.portrait.path)), u.portrait.path);
  const lines = m3uPaths(playlist);
  assert.equal(lines.length, doc.pairs.length);
  for (const l of lines) assert.ok(fs.existsSync(path.resolve(dir, l)), `playlist line ${l}`);
}

test('writes the four files; CSV, JSON and M3U8 agree and point at existing files', async () => {
  const dir = target();
  const req = fx.request();
  const result: ExportResult = await writeExport(dir, req, { copyMedia: false, overwrite: false });
  assert.deepEqual(result.files, ['index.html', 'pairs.csv', 'pairs.json', 'playlist.m3u8']);
  assert.deepEqual([result.pairs, result.unmatched, result.copiedMedia], [3, 2, 0]);
  assert.equal(result.targetDir, dir);
  assert.deepEqual(leftovers(dir), []);

  // JSON: valid against the published schema, with every portrait either paired or explained.
  const doc = JSON.parse(read(dir, 'pairs.json')) as PairsDocument;
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
  assert.equal(doc.createdAt, '2025-01-02T03:04:05.000Z');
  assert.deepEqual(doc.counts, { portraits: 5, pairs: 3, unmatched: 2 });
  assert.deepEqual([...doc.pairs, ...doc.unmatched].map((x) => x.position).sort(), [1, 2, 3, 4, 5]);
  const two = doc.pairs.find((p) => p.portrait.name.startsWith('zwei'))!;
  assert.equal(two.face!.index, 1, 'the larger face represents the portrait');
  assert.deepEqual(two.face!.box, [300, 50, 200, 240]);
  assert.equal(two.song.title, 'Rain,\nagain');
  for (const p of doc.pairs) assert.equal(p.song.quadrant, p.face!.quadrant);
  assert.match(doc.unmatched.find((u) => u.portrait.name === 'broken.jpg')!.reason, /could not be analysed: Not an image/);
  assert.match(doc.unmatched.find((u) => u.portrait.name.startsWith('landscape'))!.reason, /No face was found/);
  // Non-ASCII and spaces survive in relative paths (the target itself has them too).
  assert.equal(doc.pairs[0]!.song.path, '../../Music 名前 & co/disc one/My Song & <Friends>.ogg');

  // CSV: BOM, then an RFC 4180 table with the same rows in the same order.
  const csv = read(dir, 'pairs.csv');
  assert.ok(csv.startsWith('\uFEFF'));
  const [header, ...rows] = parseCsv(csv.slice(1));
  assert.deepEqual(header, [...CSV_COLUMNS]);
  assert.equal(rows.length, 5);
  const col = (row: string[], name: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(name)];
  for (const row of rows) assert.equal(row.length, CSV_COLUMNS.length);
  const first = rows[0]!;
  assert.equal(col(first, 'song_title'), 'Sunny <b>"Day"</b> & more');
  assert.equal(col(first, 'song_artist'), `'=HYPERLINK("x")`, 'formula-like text is defused');
  assert.equal(col(first, 'song_album'), 'Ünïcode, vol. 1');
  assert.equal(col(first, 'song_path'), doc.pairs[0]!.song.path);
  assert.equal(col(rows[1]!, 'song_title'), 'Rain,\nagain');
  assert.equal(col(rows[1]!, 'face_valence'), '-0.5');
  assert.deepEqual(rows.map((r) => col(r, 'status')), ['paired', 'paired', 'paired', 'unmatched', 'unmatched']);

  // M3U8: header, one EXTINF per pair, relative paths that exist.
  const m3u = read(dir, 'playlist.m3u8');
  assert.ok(m3u.startsWith('#EXTM3U\n'));
  assert.ok(!m3u.startsWith('\uFEFF'));
  assert.match(m3u, /^#EXTINF:183,=HYPERLINK\("x"\) - Sunny <b>"Day"<\/b> & more$/m);
  assert.match(m3u, /^#EXTINF:241,Ana Ñ - Rain, again$/m);
  assert.match(m3u, /^#EXTINF:60,#1 "quoted" 名前$/m, 'no artist: the file name stands in for the title');
  assertRefsResolve(dir, doc, m3u);

  // HTML: escaped text, no script, CSP present, one card per portrait.
  const html = read(dir, 'index.html');
  assert.equal(html.match(/<article class="card/g)?.length, 5);
  assert.ok(html.includes('Sunny &lt;b&gt;&quot;Day&quot;&lt;/b&gt; &amp; more'));
  assert.ok(!html.includes('<b>"Day"'));
  assert.ok(!/<script/i.test(html));
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
  assert.ok(!/(src|href)="(https?:)?\/\//.test(html), 'no external resource');
  assert.equal(html.match(/<img src="data:image\/jpeg;base64,/g)?.length, 4, 'every readable portrait has an embedded thumbnail');
  assert.ok(html.includes('href="../../Music%20%E5%90%8D%E5%89%8D%20%26%20co/disc%20one/My%20Song%20%26%20%3CFriends%3E.ogg"'));
  assert.match(html, /<audio controls preload="none" src="[^"]+%231%20%22quoted%22/);
});

test('copyMedia makes a portable folder: copies with de-duplicated names, all paths inside', async () => {
  const dir = target();
  const result = await writeExport(dir, fx.request(), { copyMedia: true, overwrite: false });
  assert.equal(result.copiedMedia, 5 + 3);
  assert.ok(result.files.includes('media/songs/My Song & <Friends>.ogg'));
  assert.ok(result.files.includes('media/songs/My Song & <Friends> (2).ogg'));
  // Move it somewhere else entirely: everything must still resolve.
  const moved = path.join(fx.root, 'moved ✈', 'elsewhere');
  fs.mkdirSync(path.dirname(moved));
  fs.renameSync(dir, moved);
  const doc = JSON.parse(read(moved, 'pairs.json')) as PairsDocument;
  assert.ok(validate(doc), JSON.stringify(validate.errors));
  assert.equal(doc.mediaCopied, true);
  for (const p of doc.pairs) {
    assert.ok(p.song.path.startsWith('media/songs/') && p.portrait.path.startsWith('media/portraits/'));
    assert.equal(read(moved, p.song.path), fs.readFileSync(p.song.source, 'utf8'), 'the copy is the original');
  }
  assertRefsResolve(moved, doc, read(moved, 'playlist.m3u8'));
  const html = read(moved, 'index.html');
  assert.ok(!html.includes('href="..'), 'no link leaves the folder');
  const [, ...rows] = parseCsv(read(moved, 'pairs.csv').slice(1));
  for (const r of rows) assert.ok(fs.existsSync(path.resolve(moved, r[CSV_COLUMNS.indexOf('portrait_path')]!)));
});

test('an existing non-empty folder is never replaced without overwrite', async () => {
  const dir = target();
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'keep me.txt'), 'precious');
  await assert.rejects(writeExport(dir, fx.request(), { copyMedia: true, overwrite: false }), (err: unknown) => {
    assert.ok(err instanceof ExportError);
    assert.equal(err.code, 'exists');
    assert.match(err.message, /already has files in it/);
    return true;
  });
  assert.deepEqual(fs.readdirSync(dir), ['keep me.txt']);
  assert.deepEqual(leftovers(dir), []);
});

test('an existing empty folder is simply filled', async () => {
  const dir = target();
  fs.mkdirSync(dir);
  const r = await writeExport(dir, fx.request(), { copyMedia: false, overwrite: false });
  assert.equal(r.files.length, 4);
  assert.deepEqual(leftovers(dir), []);
});

test('overwrite swaps the old folder for the new one and leaves nothing behind', async () => {
  const dir = target();
  await writeExport(dir, fx.request('match'), { copyMedia: true, overwrite: false });
  fs.writeFileSync(path.join(dir, 'stale.txt'), 'old');
  const r = await writeExport(dir, fx.request('calm'), { copyMedia: false, overwrite: true });
  assert.deepEqual(fs.readdirSync(dir).sort(), ['index.html', 'pairs.csv', 'pairs.json', 'playlist.m3u8']);
  assert.equal((JSON.parse(read(dir, 'pairs.json')) as PairsDocument).mode, 'calm');
  assert.equal(r.copiedMedia, 0);
  assert.deepEqual(leftovers(dir), []);
});

test('overwrite refuses a folder that holds the files the export reads', async () => {
  const before = fs.readdirSync(fx.musicDir).sort();
  await assert.rejects(writeExport(fx.musicDir, fx.request(), { copyMedia: false, overwrite: true }), { code: 'unsafe-target' });
  assert.deepEqual(fs.readdirSync(fx.musicDir).sort(), before);
  await assert.rejects(writeExport(fx.root, fx.request(), { copyMedia: false, overwrite: true }), { code: 'unsafe-target' });
});

test('a failure part-way removes the temporary folder and leaves the target as it was', async () => {
  const dir = target();
  const req = fx.request();
  const paired = req.items.find((i) => i.song)!;
  // A song that vanished between matching and exporting makes the copy fail.
  paired.song = { ...paired.song!, path: path.join(fx.musicDir, 'gone.ogg') };
  await assert.rejects(writeExport(dir, req, { copyMedia: true, overwrite: false }), /Could not copy .*gone\.ogg/);
  assert.equal(fs.existsSync(dir), false);
  assert.deepEqual(leftovers(dir), []);

  // Same failure while replacing: the old export survives untouched.
  const existing = target();
  await writeExport(existing, fx.request(), { copyMedia: false, overwrite: false });
  const old = read(existing, 'pairs.json');
  await assert.rejects(writeExport(existing, req, { copyMedia: true, overwrite: true }), /Could not copy/);
  assert.equal(read(existing, 'pairs.json'), old);
  assert.deepEqual(leftovers(existing), []);
});

test('a request whose songs do not match its entries is refused before anything is written', async () => {
  const dir = target();
  const req = fx.request();
  const i = req.items.findIndex((x) => x.song);
  req.items[i] = { ...req.items[i]!, song: fx.songs.find((s) => s.id !== req.items[i]!.entry.songId)! };
  await assert.rejects(writeExport(dir, req, { copyMedia: false, overwrite: false }), { code: 'invalid-request' });
  assert.equal(fs.existsSync(dir), false);
});

test('a target that is a file is refused', async () => {
  const file = path.join(fx.root, 'out', 'a file.txt');
  fs.writeFileSync(file, 'x');
  await assert.rejects(writeExport(file, fx.request(), { copyMedia: false, overwrite: true }), { code: 'not-a-folder' });
  assert.equal(fs.readFileSync(file, 'utf8'), 'x');
});

/**
 * An export of 2,000 portraits (the fixture's, repeated), written, with the rows it was made
 * from: about 3 MiB of contact sheet with the thumbnails inline, so every streamed file is
 * written in several pieces and the 1 MiB stream buffer flushes several times.
 */
async function largeExport() {
  const base = fx.request();
  const req = { ...base, items: Array.from({ length: 400 }, () => base.items).flat() };
  const dir = target();
  await writeExport(dir, req, { copyMedia: false, overwrite: false });
  return { req, dir, rows: buildRows(req, planMedia(dir, req.items, false)) };
}

test('index.html is streamed card by card, and reads exactly as the page built whole', async () => {
  const { req, dir, rows } = await largeExport();
  const html = read(dir, 'index.html');
  assert.ok(html.length > 2 << 20, `${html.length} characters`);
  const thumbs = rows.map((r) => thumbnailDataUri(req.thumbsDir, r.item.portrait.thumb));
  const whole = contactSheet(rows, thumbs, { mode: req.mode, createdAt: req.createdAt!, appVersion: APP_VERSION });
  assert.equal(html.length, whole.length);
  assert.ok(html === whole, 'the streamed page differs from the page built whole');
  assert.equal(html.match(/<article class="card/g)?.length, 2000);
});

test('pairs.csv and pairs.json are streamed in pieces, and read exactly as the text built whole', async () => {
  const { req, dir, rows } = await largeExport();
  const csv = read(dir, 'pairs.csv');
  assert.ok(csv.length > 1 << 17, 'several 64 KiB pieces');
  assert.ok(csv === pairsCsv(rows, req.mode), 'the streamed CSV differs from the CSV built whole');
  const doc = pairsDocument(rows, { createdAt: req.createdAt!, mode: req.mode, mediaCopied: false });
  assert.ok(read(dir, 'pairs.json') === JSON.stringify(doc, null, 2) + '\n', 'the streamed JSON differs from JSON.stringify');
  // An empty list and text that JSON escapes come out the same too.
  const odd = { ...doc, pairs: doc.pairs.slice(0, 2).map((p) => ({ ...p, match: { ...p.match, reason: 'a "quoted"\nline — ünï 名前' } })), unmatched: [] };
  assert.equal(pairsJson(odd), JSON.stringify(odd, null, 2) + '\n');
});
