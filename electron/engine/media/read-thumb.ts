/**
 * A cached thumbnail read whole. Its name is a content hash in the app's own thumbnail folder,
 * so no path of the person's is involved: a link in its place is refused (O_NOFOLLOW where the OS
 * has it; elsewhere, Windows, the entry must be a regular file before the open and the same file
 * after it) and only a regular file is read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { THUMB_NAME } from '../../../shared/api.ts';

/** How media files are opened, here and in serve-media.ts. */
export const OPEN_FLAGS =
  fs.constants.O_RDONLY |
  // A last component swapped for a link fails to open instead of being followed.
  (fs.constants.O_NOFOLLOW ?? 0) |
  // A FIFO swapped in opens at once (and is then refused) instead of hanging the request.
  (fs.constants.O_NONBLOCK ?? 0);

// The callback API, not fs.promises: its FileHandle costs twice the CPU per small file, and a
// gallery flung past asks for hundreds of thumbnails a second.
const openFd = promisify(fs.open);
const fstatFd = promisify(fs.fstat);
const readFd = promisify(fs.read);
const closeFd = promisify(fs.close);

/** The bytes and stat of `thumbsDir/name`, or null when the name is not a thumbnail's or the file cannot be read whole. */
export async function readThumb(thumbsDir: string, name: string): Promise<{ bytes: Buffer; stat: fs.Stats } | null> {
  if (!THUMB_NAME.test(name)) return null;
  const file = path.join(thumbsDir, name);
  let before: fs.Stats | null = null;
  let fd: number;
  try {
    if (!fs.constants.O_NOFOLLOW) {
      before = await fs.promises.lstat(file);
      if (!before.isFile()) return null;
    }
    fd = await openFd(file, OPEN_FLAGS);
  } catch {
    return null;
  }
  try {
    const stat = await fstatFd(fd);
    if (!stat.isFile()) return null;
    if (before && (before.ino !== stat.ino || before.dev !== stat.dev)) return null;
    const bytes = Buffer.allocUnsafe(stat.size);
    let got = 0;
    while (got < bytes.length) {
      const { bytesRead } = await readFd(fd, bytes, got, bytes.length - got, got);
      if (bytesRead === 0) return null; // shortened under us (thumbnails are renamed into place, so not expected)
      got += bytesRead;
    }
    return { bytes, stat };
  } catch {
    return null;
  } finally {
    await closeFd(fd).catch(() => undefined);
  }
}
