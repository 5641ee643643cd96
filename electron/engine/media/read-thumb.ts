/**
 * A cached thumbnail read whole. Its name is a content hash in the app's own thumbnail folder,
 * so no path of the person's is involved: it is opened without following a link and served only
 * if it is a regular file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { THUMB_NAME } from '../../../shared/api.ts';

const OPEN_FLAGS =
  fs.constants.O_RDONLY |
  // A thumbnail swapped for a link fails to open instead of being followed.
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
  let fd: number;
  try {
    fd = await openFd(path.join(thumbsDir, name), OPEN_FLAGS);
  } catch {
    return null;
  }
  try {
    const stat = await fstatFd(fd);
    if (!stat.isFile()) return null;
    const bytes = Buffer.allocUnsafe(stat.size);
    let got = 0;
    while (got < bytes.length) {
      const { bytesRead } = await readFd(fd, bytes, got, bytes.length - got, got);
      if (bytesRead === 0) return null; // shortened under us: the next request gets it whole
      got += bytesRead;
    }
    return { bytes, stat };
  } catch {
    return null;
  } finally {
    await closeFd(fd).catch(() => undefined);
  }
}
