/** Portrait thumbnails embedded in the contact sheet, so it needs nothing beside itself to show. */
import fs from 'node:fs';
import path from 'node:path';

/** The engine writes JPEG; sniffing keeps the data: URI honest if that ever changes. */
function mimeOf(bytes: Buffer): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

/**
 * Null when there is no usable thumbnail: the sheet then shows a placeholder instead. Read
 * synchronously: a cached thumbnail of some 15 KB takes tens of microseconds this way, while the
 * promise API's four thread-pool trips (open, stat, read, close) made a 20,000-card sheet spend
 * seconds on the engine's thread.
 */
export function thumbnailDataUri(thumbsDir: string, thumb: string | null): string | null {
  // `thumb` is a cache key, never a path; anything else is not ours to read.
  if (!thumb || thumb !== path.basename(thumb) || thumb.startsWith('.')) return null;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path.join(thumbsDir, thumb));
  } catch {
    return null;
  }
  const mime = mimeOf(bytes);
  return mime ? `data:${mime};base64,${bytes.toString('base64')}` : null;
}
