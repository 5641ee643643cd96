/** Lightness and chroma of decoded pixels, the reference the picture mood is centred on, and the cost. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { pictureStats } from './picture-stats.ts';
import { analyseImagePixels } from './analyse-portrait.ts';
import { pictureMoodFrom } from '../../../shared/picture-mood.ts';
import type { DecodedImage, FaceClassifier } from '../types.ts';

const solid = (r: number, g: number, b: number, width = 64, height = 48): DecodedImage => {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) [data[i], data[i + 1], data[i + 2]] = [r, g, b];
  return { data, width, height };
};

test('CIELAB lightness and chroma of known colours', () => {
  const white = pictureStats(solid(255, 255, 255));
  assert.ok(Math.abs(white.brightness - 1) < 1e-3 && white.saturation < 1e-3, JSON.stringify(white));
  const black = pictureStats(solid(0, 0, 0));
  assert.deepEqual([black.brightness, Math.round(black.saturation * 1000)], [0, 0]);
  const grey = pictureStats(solid(119, 119, 119));
  assert.ok(Math.abs(grey.brightness - 0.5) < 0.01 && grey.saturation < 1e-3, JSON.stringify(grey));
  // sRGB red: L* 53.24, C*ab 104.55.
  const red = pictureStats(solid(255, 0, 0));
  assert.ok(Math.abs(red.brightness - 0.5324) < 0.002 && Math.abs(red.saturation - 1.0455) < 0.003, JSON.stringify(red));
});

test('a large image is sampled on a grid and gives the same means', () => {
  const w = 2000, h = 1500;
  const data = new Uint8Array(w * h * 3);
  // Left half bright yellow, right half dark blue: the mean is their average either way.
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = (y * w + x) * 3;
    [data[i], data[i + 1], data[i + 2]] = x < w / 2 ? [240, 220, 40] : [20, 30, 90];
  }
  const big = pictureStats({ data, width: w, height: h });
  const a = pictureStats(solid(240, 220, 40)), b = pictureStats(solid(20, 30, 90));
  assert.ok(Math.abs(big.brightness - (a.brightness + b.brightness) / 2) < 0.005);
  assert.ok(Math.abs(big.saturation - (a.saturation + b.saturation) / 2) < 0.005);
  const t0 = performance.now();
  for (let k = 0; k < 5; k++) pictureStats({ data, width: w, height: h });
  const ms = (performance.now() - t0) / 5;
  assert.ok(ms < 40, `${ms.toFixed(1)} ms per image`);
});

test('analysis measures the picture mood on the pixels it decodes, with or without faces', async () => {
  const noFaces: FaceClassifier = { name: 'none', classify: async () => [] };
  const bright = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 250, g: 200, b: 60 } } }).png().toBuffer();
  const dark = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 30, g: 32, b: 35 } } }).png().toBuffer();
  const a = (await analyseImagePixels(bright, noFaces)).analysis;
  const b = (await analyseImagePixels(dark, noFaces)).analysis;
  assert.equal(a.faces.length, 0);
  assert.ok(a.mood && b.mood);
  assert.ok(a.mood.valence > 0 && b.mood.valence < 0, `${a.mood.valence} / ${b.mood.valence}`);
  assert.ok(a.mood.arousal > b.mood.arousal);
  assert.deepEqual(a.mood, pictureMoodFrom({ brightness: a.mood.brightness, saturation: a.mood.saturation }));
});
