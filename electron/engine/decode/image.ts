/**
 * Image decoding with sharp: EXIF orientation applied, alpha flattened on white, any colour
 * space converted to sRGB, and images too large to be art on a desk refused from their header,
 * before a single pixel is decoded.
 */
import sharp, { type Metadata } from 'sharp';
import type { DecodedImage } from '../types.ts';

/** 100 megapixels: larger than any museum scan we expect, far below a decompression bomb. */
export const MAX_PIXELS = 100_000_000;

export class ImageDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageDecodeError';
  }
}

export interface ImageHeader {
  /** Size after EXIF orientation is applied. */
  width: number;
  height: number;
  format: string;
}

function describeSharpError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/buffer is empty/i.test(msg)) return 'The file is empty (0 bytes)';
  if (/unsupported image format/i.test(msg)) return 'Not an image format Portrait Songs can read';
  if (/heif|hevc|unsupported codec/i.test(msg)) return `HEIC/HEIF images are not supported; convert this one to JPEG (${msg.split('\n')[0]})`;
  if (/premature end|truncated|corrupt|invalid|bad|read error/i.test(msg)) return `The image file is damaged (${msg.split('\n')[0]})`;
  if (/pixel limit/i.test(msg)) return `The image is too large to analyse (over ${MAX_PIXELS / 1e6} megapixels)`;
  return msg.split('\n')[0] ?? msg;
}

export async function readImageHeader(file: string | Buffer): Promise<ImageHeader> {
  let meta: Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ImageDecodeError(describeSharpError(err));
  }
  if (!meta.width || !meta.height || !meta.format) throw new ImageDecodeError('The image has no readable size');
  const swapped = (meta.orientation ?? 1) >= 5;
  const width = swapped ? meta.height : meta.width;
  const height = swapped ? meta.width : meta.height;
  if (width * height > MAX_PIXELS) {
    throw new ImageDecodeError(
      `The image is too large to analyse: ${width}×${height} pixels (limit ${MAX_PIXELS / 1e6} megapixels)`,
    );
  }
  return { width, height, format: meta.format };
}

/**
 * Decodes to packed RGB, scaled down so the longer side is at most `maxSide` (detectors work
 * on small inputs anyway; the caller maps boxes back with `scale`).
 */
export async function decodeImage(
  file: string | Buffer,
  maxSide: number,
): Promise<{ image: DecodedImage; header: ImageHeader; scale: number }> {
  try {
    return await decodePixels(file, maxSide);
  } catch (err) {
    // libvips keeps one error buffer for the whole process: while another worker thread clears
    // it, a failed decode can come back as bare "Unknown error". The failure is real; decoding
    // once more recovers its reason (it says what is wrong with the file).
    if (!(err instanceof ImageDecodeError) || err.message !== UNKNOWN_VIPS_ERROR) throw err;
    try {
      return await decodePixels(file, maxSide);
    } catch (again) {
      if (again instanceof ImageDecodeError && again.message === UNKNOWN_VIPS_ERROR) {
        throw new ImageDecodeError('The image file is damaged (its header reads, its pixels do not decode)');
      }
      throw again;
    }
  }
}

const UNKNOWN_VIPS_ERROR = 'Unknown error';

async function decodePixels(file: string | Buffer, maxSide: number): Promise<{ image: DecodedImage; header: ImageHeader; scale: number }> {
  const header = await readImageHeader(file);
  const scale = Math.min(1, maxSide / Math.max(header.width, header.height));
  try {
    const { data, info } = await sharp(file, { limitInputPixels: MAX_PIXELS, failOn: 'truncated', pages: 1 })
      .autoOrient()
      .resize({
        width: Math.max(1, Math.round(header.width * scale)),
        height: Math.max(1, Math.round(header.height * scale)),
        fit: 'fill',
      })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new ImageDecodeError(`Unexpected ${info.channels}-channel output`);
    return { image: { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height }, header, scale };
  } catch (err) {
    if (err instanceof ImageDecodeError) throw err;
    throw new ImageDecodeError(describeSharpError(err));
  }
}

/** A JPEG thumbnail whose longer side is `side` pixels. */
export async function makeThumbnail(file: string | Buffer, side: number): Promise<Buffer> {
  return sharp(file, { limitInputPixels: MAX_PIXELS, pages: 1 })
    .autoOrient()
    .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer();
}
