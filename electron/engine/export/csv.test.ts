import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, toCsv, UTF8_BOM } from './csv.ts';
import { parseCsv } from './parse-csv.test-helper.ts';

test('fields are quoted only when RFC 4180 needs it, with quotes doubled', () => {
  assert.equal(csvField('plain text ünï'), 'plain text ünï');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(-0.25), '-0.25');
  assert.equal(csvField(Number.NaN), '');
});

test('text that a spreadsheet would run as a formula is defused; numbers are not', () => {
  assert.equal(csvField('=1+1'), "'=1+1");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('-minus'), "'-minus");
  assert.equal(csvField(-1), '-1');
});

test('a document starts with a BOM, ends lines with CRLF and parses back', () => {
  const rows = [['x,y', 'he said "no"\r\nthen left', '名前'], ['', "'", 'end']];
  const text = toCsv(['a', 'b', 'c'], rows);
  assert.ok(text.startsWith(UTF8_BOM));
  assert.ok(text.endsWith('\r\n'));
  assert.deepEqual(parseCsv(text.slice(1)), [['a', 'b', 'c'], ...rows]);
});
