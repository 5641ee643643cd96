/** Exports say when a song was chosen by a picture mood (no face), and the switch in the spec holds. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { makeFixture, type Fixture } from './export-fixture.ts';
import { parseCsv } from './parse-csv.test-helper.ts';
import { CSV_COLUMNS } from './pairs-csv.ts';
import { playlistItems } from './playlist-items.ts';
import { writeExport } from './write-export.ts';
import type { PairsDocument } from './pairs-json.ts';
import { defaultSpec } from '../../../shared/match.ts';
import { pictureMoodFrom } from '../../../shared/picture-mood.ts';

const SCHEMA = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../shared/pairs.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(SCHEMA);
const MOOD = pictureMoodFrom({ brightness: 0.62, saturation: 0.2 });

let fx: Fixture;
let n = 0;
before(async () => {
  fx = await makeFixture();
  const landscape = fx.portraits.find((p) => p.name.startsWith('landscape'))!;
  landscape.mood = MOOD;
  landscape.readingKind = 'picture-mood';
});
after(() => fx.cleanup());

async function exportWith(pictureMood: boolean | undefined) {
  const spec = pictureMood === undefined ? defaultSpec() : { ...defaultSpec(), pictureMood };
  const items = playlistItems(fx.portraits, fx.songs, spec);
  const dir = path.join(fx.root, 'out', `mood ${++n}`);
  await writeExport(dir, { mode: spec.mode, items, thumbsDir: fx.thumbsDir, createdAt: '2025-01-02T03:04:05.000Z' }, { copyMedia: false, overwrite: false });
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  return { doc: JSON.parse(read('pairs.json')) as PairsDocument, csv: parseCsv(read('pairs.csv').replace(/^\uFEFF/, '')), html: read('index.html') };
}

test('a pair chosen by the picture mood says so in pairs.json, pairs.csv and the contact sheet', async () => {
  const { doc, csv, html } = await exportWith(undefined);
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
  assert.deepEqual(doc.counts, { portraits: 5, pairs: 4, unmatched: 1 });
  const mood = doc.pairs.find((p) => p.portrait.name.startsWith('landscape'))!;
  assert.equal(mood.face, null, 'no face is claimed');
  assert.equal(mood.reading.kind, 'picture-mood');
  if (mood.reading.kind !== 'picture-mood') return;
  assert.deepEqual([mood.reading.valence, mood.reading.arousal, mood.reading.confidence], [MOOD.valence, MOOD.arousal, MOOD.confidence]);
  assert.deepEqual([mood.target.valence, mood.target.arousal], [MOOD.valence, MOOD.arousal]);
  assert.match(mood.match.reason, /picture mood/);
  for (const p of doc.pairs.filter((x) => x !== mood)) {
    assert.equal(p.reading.kind, 'faces');
    assert.ok(p.face);
  }

  const [header, ...rows] = csv;
  assert.deepEqual(header, [...CSV_COLUMNS]);
  const col = (name: (typeof CSV_COLUMNS)[number]) => header!.indexOf(name);
  const row = rows.find((r) => r[col('portrait_name')]!.startsWith('landscape'))!;
  assert.equal(row[col('status')], 'paired');
  assert.equal(row[col('reading_kind')], 'picture-mood');
  assert.equal(row[col('face_index')], '');
  assert.equal(row[col('face_quadrant')], '');
  assert.equal(Number(row[col('reading_valence')]), MOOD.valence);
  assert.equal(Number(row[col('reading_confidence')]), MOOD.confidence);
  const faceRow = rows.find((r) => r[col('portrait_name')]!.startsWith('a happy'))!;
  assert.equal(faceRow[col('reading_kind')], 'faces');
  assert.equal(faceRow[col('reading_quadrant')], faceRow[col('face_quadrant')]);

  const card = /<article [^>]*data-reading="picture-mood"[^>]*>[\s\S]*?<\/article>/.exec(html)?.[0] ?? '';
  assert.match(card, /landscape, no face/);
  assert.match(card, /class="badge mood"[^>]*>Picture mood Q/);
  assert.doesNotMatch(card, />Face Q/);
});

test('with picture moods off the export lists the faceless portrait as unmatched, as the app does', async () => {
  const { doc, csv } = await exportWith(false);
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
  assert.deepEqual(doc.counts, { portraits: 5, pairs: 3, unmatched: 2 });
  const u = doc.unmatched.find((x) => x.portrait.name.startsWith('landscape'))!;
  assert.match(u.reason, /picture moods are turned off/);
  assert.ok(doc.pairs.every((p) => p.reading.kind === 'faces' && p.face));
  const col = csv[0]!.indexOf('status');
  assert.equal(csv.filter((r) => r[col] === 'unmatched').length, 2);
});
