import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { decodeImage, readImageHeader, MAX_PIXELS } from './image.ts';

/** A PNG that claims `w`×`h` in its header but carries almost no pixel data. */
function pngHeaderOnly(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(100))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('a decompression bomb is refused from its header, before decoding', async () => {
  const bomb = pngHeaderOnly(30000, 30000);
  assert.ok(bomb.length < 1000);
  assert.ok(30000 * 30000 > MAX_PIXELS);
  const t0 = performance.now();
  await assert.rejects(decodeImage(bomb, 1024), /too large to analyse: 30000×30000/);
  assert.ok(performance.now() - t0 < 5000);
});

test('EXIF orientation is applied: a landscape buffer tagged 90° decodes as portrait', async () => {
  const landscape = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#ff0000' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();
  const header = await readImageHeader(landscape);
  assert.deepEqual([header.width, header.height], [40, 60]);
  const { image } = await decodeImage(landscape, 1024);
  assert.deepEqual([image.width, image.height], [40, 60]);
});

test('transparency is flattened on white and the result is 3-channel RGB', async () => {
  const clear = await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
  const { image } = await decodeImage(clear, 1024);
  assert.equal(image.data.length, 8 * 8 * 3);
  assert.ok(image.data.every((v) => v === 255));
});

test('greyscale and 16-bit images come out as 8-bit RGB; large ones are scaled to the analysis size', async () => {
  const grey16 = await sharp({ create: { width: 3000, height: 1500, channels: 3, background: '#808080' } }).toColourspace('grey16').png().toBuffer();
  const { image, header, scale } = await decodeImage(grey16, 1000);
  assert.deepEqual([header.width, header.height], [3000, 1500]);
  assert.deepEqual([image.width, image.height], [1000, 500]);
  assert.ok(Math.abs(scale - 1 / 3) < 1e-9);
  assert.equal(image.data.length, 1000 * 500 * 3);
});

test('a damaged or non-image file gives a clear error', async () => {
  await assert.rejects(decodeImage(Buffer.from('this is not an image'), 1024), /Not an image format/);
  const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#123456' } }).jpeg().toBuffer();
  await assert.rejects(decodeImage(jpeg.subarray(0, jpeg.length / 2), 1024), /damaged|truncated|premature/i);
});
