import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cropFaceGrey, flipGrey, resizeGrey, type GreyImage } from './grey-image.ts';

const ramp = (side: number): GreyImage => ({ side, data: Float32Array.from({ length: side * side }, (_, i) => i % side) });

test('flip is its own inverse and mirrors each row', () => {
  const img = ramp(48);
  assert.deepEqual(flipGrey(flipGrey(img)).data, img.data);
  assert.equal(flipGrey(img).data[0], img.data[47]);
});

test('area resize of a 4× nearest upscale gives the original back', () => {
  const small = ramp(12);
  const big: GreyImage = { side: 48, data: new Float32Array(48 * 48) };
  for (let y = 0; y < 48; y++) for (let x = 0; x < 48; x++) big.data[y * 48 + x] = small.data[Math.floor(y / 4) * 12 + Math.floor(x / 4)]!;
  const back = resizeGrey(big, 12);
  for (let i = 0; i < back.data.length; i++) assert.ok(Math.abs(back.data[i]! - small.data[i]!) < 1e-4);
});

test('a crop past the image edge replicates the edge, never black', () => {
  // 10×10 white image with a mid-grey left column.
  const data = new Uint8Array(10 * 10 * 3).fill(255);
  for (let y = 0; y < 10; y++) data.fill(100, y * 30, y * 30 + 3);
  const crop = cropFaceGrey({ data, width: 10, height: 10 }, [-5, 0, 10, 10], 0, 20);
  assert.equal(crop.side, 20);
  assert.ok(Math.min(...crop.data) >= 99.9, 'no black padding');
  assert.ok(Math.abs(crop.data[0]! - 100) < 0.5, 'left of the image repeats the left column');
  assert.ok(Math.abs(crop.data[19]! - 255) < 0.5);
});
