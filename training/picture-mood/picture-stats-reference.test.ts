/** The picture mood's reference constants (shared/picture-mood.ts) are the demo portraits' own statistics. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { PICTURE_MOOD_REFERENCE } from '../../shared/picture-mood.ts';
import { referenceStats } from './picture-stats-reference.ts';
import { PORTRAITS_DEMO as DEMO } from '../paths.ts';

test('the reference constants are the demo portraits’ own statistics', { skip: !fs.existsSync(DEMO) && 'the demo portraits are not here' }, async () => {
  const ref = await referenceStats(DEMO);
  assert.equal(ref.images, PICTURE_MOOD_REFERENCE.images);
  for (const k of ['brightness', 'saturation'] as const) {
    assert.ok(Math.abs(ref[k].mean - PICTURE_MOOD_REFERENCE[k].mean) < 0.002, `${k} mean ${ref[k].mean}`);
    assert.ok(Math.abs(ref[k].sd - PICTURE_MOOD_REFERENCE[k].sd) < 0.002, `${k} sd ${ref[k].sd}`);
  }
  assert.ok(Math.abs(ref.correlation - PICTURE_MOOD_REFERENCE.correlation) < 0.01);
});
