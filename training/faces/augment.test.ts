import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flipGrey, type GreyImage } from '../../electron/engine/classify/grey-image.ts';
import { randomAffine, warpGrey } from './augment.ts';

const ramp = (side: number): GreyImage => ({ side, data: Float32Array.from({ length: side * side }, (_, i) => i % side) });

test('the identity warp changes nothing; a flip-only warp is the mirror', () => {
  const img = ramp(48);
  const same = warpGrey(img, { rotate: 0, zoom: 1, shiftX: 0, shiftY: 0, flip: false });
  for (let i = 0; i < img.data.length; i++) assert.ok(Math.abs(same.data[i]! - img.data[i]!) < 1e-4);
  const mirrored = warpGrey(img, { rotate: 0, zoom: 1, shiftX: 0, shiftY: 0, flip: true });
  assert.deepEqual(Array.from(mirrored.data), Array.from(flipGrey(img).data));
});

test('random affines stay within the documented ranges', () => {
  let s = 1;
  const next = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < 200; i++) {
    const t = randomAffine(next);
    assert.ok(Math.abs(t.rotate) <= 10 && t.zoom >= 0.9 && t.zoom <= 1.1 && Math.abs(t.shiftX) <= 0.08 && Math.abs(t.shiftY) <= 0.08);
  }
});
