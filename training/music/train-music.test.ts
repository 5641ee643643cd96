/** The song model's training splits and the metrics file the trainer writes. */
import assert from 'node:assert/strict';
import { MUSICNN_FEATURE_NAMES } from '../../electron/engine/music/song-readings.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MUSIC_QUADRANTS } from '../../shared/emotion.ts';
import { FEATURE_NAMES, FEATURE_VERSION } from '../../electron/engine/music/features.ts';
import { DEFAULT_MODEL_PATH } from '../../electron/engine/music/model.ts';
import { groupFolds, stratifiedFolds } from './train-music.ts';

const METRICS = path.join(path.dirname(DEFAULT_MODEL_PATH), 'metrics.json');

test('metrics.json describes an artist-grouped, repeated, nested CV of a model on the same features', () => {
  const m = JSON.parse(readFileSync(METRICS, 'utf8'));
  // The model's inputs are the handcrafted features, then (since musicnn) the song's musicnn row.
  assert.deepEqual(m.features.names, [...FEATURE_NAMES, ...MUSICNN_FEATURE_NAMES]);
  assert.deepEqual(JSON.parse(readFileSync(DEFAULT_MODEL_PATH, 'utf8')).featureNames, m.features.names);
  assert.equal(m.features.version, FEATURE_VERSION);
  assert.equal(m.dataset.clips, 720);
  assert.ok(m.seeds.length >= 3, 'repeated over several seeds');
  assert.equal(m.nestedGroupedCV.runs.length, m.seeds.length);
  for (const run of m.nestedGroupedCV.runs) {
    const s = run.scores;
    assert.ok(s.macroF1 > 0.25 && s.macroF1 <= 1);
    assert.equal(
      s.confusion.flat().reduce((a: number, v: number) => a + v, 0),
      720,
    );
    for (const q of MUSIC_QUADRANTS) assert.ok(s.perClass[q].f1 >= 0 && s.perClass[q].f1 <= 1);
    assert.equal(run.picks.length, 5, 'a choice made inside each outer fold');
  }
  assert.ok(m.nestedGroupedCV.summary.macroF1.sd >= 0);
  assert.ok(m.temperature > 0);
  assert.equal(JSON.parse(readFileSync(DEFAULT_MODEL_PATH, 'utf8')).temperature, m.temperature);
});

test('artist-grouped folds keep every artist on one side, also inside a training split', () => {
  // 200 clips by 60 artists of very different sizes, each artist in one quadrant, as in 4Q.
  const groups = Array.from({ length: 200 }, (_, i) => `a${Math.floor(Math.sqrt(i * 18))}`);
  const artistClass = new Map<string, number>();
  const y = groups.map((g) => {
    if (!artistClass.has(g)) artistClass.set(g, artistClass.size % 4);
    return artistClass.get(g)!;
  });
  const sides = (folds: number[], rows: number[]) => {
    const seen = new Map<string, Set<number>>();
    rows.forEach((r, j) => seen.set(groups[r]!, (seen.get(groups[r]!) ?? new Set()).add(folds[j]!)));
    return Math.max(...[...seen.values()].map((s) => s.size));
  };
  const all = y.map((_, i) => i);
  const outer = groupFolds(y, groups, 5, 3);
  assert.equal(sides(outer, all), 1);
  for (let f = 0; f < 5; f++) assert.ok(outer.filter((v) => v === f).length >= 25, 'no fold is starved');
  const train = all.filter((i) => outer[i] !== 0);
  assert.equal(sides(groupFolds(y, groups, 5, 4, train), train), 1);
  // A clip-stratified split would break this: the test can fail.
  assert.ok(sides(stratifiedFolds(y, 5, 3), all) > 1);
});

test('stratified folds are balanced per class', () => {
  const y = Array.from({ length: 720 }, (_, i) => i % 4);
  const folds = stratifiedFolds(y, 5, 1);
  for (let f = 0; f < 5; f++) {
    for (let c = 0; c < 4; c++) assert.equal(y.filter((v, i) => v === c && folds[i] === f).length, 36);
  }
});
