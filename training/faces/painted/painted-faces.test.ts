import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { emotionFromProbs } from '../../../electron/engine/classify/face-emotion.ts';
import { readPaintedFaces, writePaintedFaces, type PaintedFace } from './painted-faces.ts';
import { scorePainted } from './check-painted-faces.ts';

test('the committed labels: every face labelled, by someone, at least 100 readable', () => {
  const faces = readPaintedFaces();
  assert.ok(faces.length >= 100);
  for (const f of faces) {
    assert.ok(f.label, `${f.file}#${f.face} has no label`);
    assert.ok(f.labeller, `${f.file}#${f.face} has no labeller`);
    assert.ok(f.w > 0 && f.h > 0);
    assert.match(f.file, /^(demo|dev)\//);
  }
  assert.ok(faces.filter((f) => f.label !== 'skip').length >= 100);
});

test('labels survive a write and read, quotes and commas included', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'painted-')), 'p.csv');
  const rows: PaintedFace[] = [{ file: 'demo/a.jpg', face: 0, x: 1.5, y: 2, w: 30, h: 40, label: 'sad', labeller: 'me, by eye', note: 'says "hm"' }];
  writePaintedFaces(rows, file);
  assert.deepEqual(readPaintedFaces(file), rows);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(',sad,', ',gloomy,'));
  assert.throws(() => readPaintedFaces(file), /unknown label/);
});

test('scores: agreement through the badge, neutral/emotional confusions, skips left out', () => {
  const happy = emotionFromProbs([0, 0, 0, 1, 0, 0, 0]);
  const neutral = emotionFromProbs([0, 0, 0, 0, 0, 0, 1]);
  const sad = emotionFromProbs([0, 0, 0, 0, 1, 0, 0]);
  const s = scorePainted('m', ['happy', 'neutral', 'neutral', 'sad', 'skip'], [happy, neutral, happy, neutral, sad]);
  assert.equal(s.faces, 4);
  assert.equal(s.agreement, 0.5);
  assert.equal(s.neutralCalledEmotional, 0.5);
  assert.equal(s.emotionalCalledNeutral, 0.5);
  assert.equal(s.confusion.neutral.Q1, 1);
  assert.equal(s.confusion.sad.N, 1);
});
