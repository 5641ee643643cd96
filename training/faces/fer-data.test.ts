import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FER_COUNT, FER_PIXELS, ferImage, loadFer, regressionSubset, splitIndices } from './fer-data.ts';
import { FER_DIR } from '../paths.ts';

const DATA = FER_DIR;
const skip = !fs.existsSync(path.join(DATA, 'images.u8')) && 'FER-2013 is not at shared/data/fer';

test('FER reader: sizes, split and label counts match the published table', { skip }, () => {
  const fer = loadFer(DATA);
  assert.equal(fer.count, FER_COUNT);
  assert.equal(fer.images.length, FER_COUNT * FER_PIXELS);
  assert.deepEqual(
    (['Training', 'PublicTest', 'PrivateTest'] as const).map((s) => splitIndices(fer, s).length),
    [28709, 3589, 3589],
  );
  const perLabel = (split: 'Training' | 'PrivateTest') => {
    const counts = new Array<number>(7).fill(0);
    for (const i of splitIndices(fer, split)) counts[fer.labels[i]!]!++;
    return counts;
  };
  assert.deepEqual(perLabel('Training'), [3995, 436, 4097, 7215, 4830, 3171, 4965]);
  assert.deepEqual(perLabel('PrivateTest'), [491, 55, 528, 879, 594, 416, 626]);
});

test('FER reader: images are views at i × 2304, agreeing with names.txt', { skip }, () => {
  const fer = loadFer(DATA);
  const names = fs.readFileSync(path.join(DATA, 'names.txt'), 'utf8').split('\n');
  const last = ferImage(fer, FER_COUNT - 1);
  assert.equal(last.length, FER_PIXELS);
  assert.equal(last.buffer, fer.images.buffer, 'a view, not a copy');
  assert.equal(last[0], fer.images[(FER_COUNT - 1) * FER_PIXELS]);
  const folder = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
  for (const i of [0, 28708, 28709, 32298, 32299, FER_COUNT - 1]) {
    const split = ['Training', 'PublicTest', 'PrivateTest'][fer.splits[i]!]!;
    assert.match(names[i]!, new RegExp(`/${split}_`));
    // Kaggle folders spell some labels longer (disgusted, fearful, surprised).
    assert.ok(names[i]!.includes(`/${folder[fer.labels[i]!]}`), names[i]);
  }
  assert.throws(() => ferImage(fer, FER_COUNT), RangeError);
});

test('regression subset: every 7th PrivateTest face, all classes present', { skip }, () => {
  const fer = loadFer(DATA);
  const subset = regressionSubset(fer);
  assert.equal(subset.length, 513);
  assert.ok(subset.every((i) => fer.splits[i] === 2));
  assert.equal(new Set(subset.map((i) => fer.labels[i])).size, 7);
});
