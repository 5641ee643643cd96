/**
 * The media protocol's handler, in plain web-standard Request → Response so the engine tests
 * call it directly and the Electron shell only adapts it to `protocol.handle`.
 *
 * URLs: `<base>thumb/<name>` serves a cached thumbnail of a row the page was shown;
 * `<base>file/<encoded absolute path>` serves a regular file only if its path lies inside a folder
 * the person opened, both as written (checked before any file-system call) and as the real path
 * of the very descriptor it is read from. Range requests are answered here (206 / 416) because
 * `net.fetch('file:')` ignores them and seeking breaks. Transport-neutral: the Electron protocol,
 * the test harness and a browser-mode server all adapt this one function.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isInside, lexicallyAllowed } from './lexical-path.ts';
import { OPEN_FLAGS, readThumb } from './read-thumb.ts';

export const MEDIA_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.flac': 'audio/flac',
  '.wav': 'audio/wav',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
};

export interface MediaAccess {
  /** Folders the person opened; read on every request, so it may grow while serving. */
  roots(): Iterable<string>;
  thumbsDir: string;
  /** Whether the page was shown a catalog row with this thumbnail key; others are not served. */
  mayServeThumb(name: string): boolean;
}

const deny = (status: number, message: string): Response =>
  new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });

/** Missing, outside, a link out, a swapped file: one answer, so the page cannot map the disk. */
const notFound = (): Response => deny(404, 'Not found');

interface Target {
  /** The checked real path: the media type and the identity of the file come from it. */
  real: string;
  handle: fs.promises.FileHandle;
  stat: fs.Stats;
}

async function realRoots(roots: Iterable<string>): Promise<string[]> {
  const out: string[] = [];
  for (const root of roots) {
    try {
      out.push(await fs.promises.realpath(root));
    } catch {
      // A root that vanished serves nothing.
    }
  }
  return out;
}

/**
 * Where the open handle really points, when the OS can say (Linux: /proc/self/fd). Paths can be
 * re-pointed between any two calls; the kernel's name for an open descriptor cannot.
 */
async function handlePath(handle: fs.promises.FileHandle): Promise<string | null> {
  if (process.platform !== 'linux') return null;
  try {
    return await fs.promises.readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return null;
  }
}

const sameFile = (a: fs.Stats, b: fs.Stats): boolean => a.dev === b.dev && a.ino === b.ino;

/**
 * Opens the file a lexically allowed path names, only if it is a regular file whose real path
 * lies in one of `roots`. The check and the read use the same descriptor: a file or folder
 * swapped for a symlink after the check fails the identity test instead of being followed.
 */
async function openChecked(candidate: string, roots: Iterable<string>): Promise<Target | null> {
  let real: string;
  try {
    real = await fs.promises.realpath(candidate);
  } catch {
    return null;
  }
  if (!(await realRoots(roots)).some((root) => isInside(real, root))) return null;
  let before: fs.Stats;
  let handle: fs.promises.FileHandle;
  try {
    before = await fs.promises.lstat(real);
    handle = await fs.promises.open(real, OPEN_FLAGS);
  } catch {
    return null;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || !before.isFile() || !sameFile(stat, before)) throw new Error('swapped');
    const kernel = await handlePath(handle);
    if (kernel !== null) {
      if (kernel !== real) throw new Error('swapped');
    } else {
      // Without the kernel's answer: the path must still be link-free and still name this file.
      if ((await fs.promises.realpath(real)) !== real) throw new Error('swapped');
      if (!sameFile(await fs.promises.lstat(real), stat)) throw new Error('swapped');
    }
    return { real, handle, stat };
  } catch {
    await handle.close().catch(() => undefined);
    return null;
  }
}

/** The handle of the person's file a `file/` URL names, or the response refusing it. */
async function resolveTarget(raw: string, access: MediaAccess): Promise<Target | Response> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return deny(400, 'Malformed path');
  }
  if (decoded.includes('\0')) return deny(400, 'Malformed path');
  const roots = [...access.roots()];
  const candidate = lexicallyAllowed(decoded, roots);
  if (candidate === null) return notFound();
  return (await openChecked(candidate, roots)) ?? notFound();
}

/** Parses a single `bytes=` range; null means "serve whole", 'unsatisfiable' means 416. */
export function parseRange(header: string | null, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null; // multiple or odd ranges: the whole file is a valid answer
  const [, a, b] = m;
  if (a === '' && b === '') return null;
  let start: number;
  let end: number;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

export async function serveMedia(request: Request, access: MediaAccess): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return deny(405, 'Method not allowed');
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return deny(400, 'Malformed URL');
  }
  // Only the last two segments matter: the prefix differs between the app and the tests.
  const match = /\/(thumb|file)\/([^/]*)$/.exec(url.pathname);
  if (!match) return notFound();
  if (match[1] === 'thumb') return serveThumb(request, match[2]!, access);
  const target = await resolveTarget(match[2]!, access);
  if (target instanceof Response) return target;
  const { real, handle, stat } = target;
  let streaming = false;
  try {
    const type = MEDIA_TYPES[path.extname(real).toLowerCase()];
    if (!type) return deny(415, 'Unsupported media type');
    const answer = ranged(request, stat, type, 'no-cache');
    if (answer instanceof Response) return answer;
    const { status, headers, start, end } = answer;
    // The stream owns the handle from here and closes it when done, failed or cancelled.
    const nodeStream = handle.createReadStream({ start, end, autoClose: true });
    streaming = true;
    return new Response(Readable.toWeb(nodeStream) as ReadableStream<Uint8Array>, { status, headers });
  } finally {
    if (!streaming) await handle.close().catch(() => undefined);
  }
}

/**
 * A cached thumbnail (read-thumb.ts): no path of the person's is involved, so the real-path checks
 * of `file/` have nothing to check; read whole (tens of KB) and answered from memory, where the
 * descriptor checks and a file stream cost a millisecond each.
 */
async function serveThumb(request: Request, raw: string, access: MediaAccess): Promise<Response> {
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    return deny(400, 'Malformed path');
  }
  // readThumb refuses any name that is not a thumbnail's.
  const thumb = access.mayServeThumb(name) ? await readThumb(access.thumbsDir, name) : null;
  if (!thumb) return notFound();
  // A thumbnail's name is its source's content hash and the file is written once, so its
  // bytes never change: the page keeps it instead of fetching it again each time a
  // scrolled-away card comes back.
  const answer = ranged(request, thumb.stat, 'image/jpeg', 'private, max-age=31536000, immutable');
  if (answer instanceof Response) return answer;
  const { status, headers, start, end } = answer;
  const { bytes } = thumb;
  return new Response(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset + start, end + 1 - start), { status, headers });
}

/**
 * The status, headers and byte span of an answer to `request` for a file of this size, or the
 * whole answer where no body is sent (HEAD, an empty file, an unsatisfiable range).
 */
function ranged(
  request: Request,
  stat: fs.Stats,
  type: string,
  cacheControl: string,
): Response | { status: number; headers: Headers; start: number; end: number } {
  const size = stat.size;
  const headers = new Headers({
    'Content-Type': type,
    'Accept-Ranges': 'bytes',
    // A person's own files can change in place: revalidated (cacheControl 'no-cache').
    'Cache-Control': cacheControl,
    'Last-Modified': stat.mtime.toUTCString(),
    'X-Content-Type-Options': 'nosniff',
  });
  const range = parseRange(request.headers.get('range'), size);
  if (range === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  const length = size === 0 ? 0 : end - start + 1;
  headers.set('Content-Length', String(length));
  if (range) headers.set('Content-Range', `bytes ${start}-${end}/${size}`);
  const status = range ? 206 : 200;
  if (request.method === 'HEAD' || length === 0) return new Response(null, { status, headers });
  return { status, headers, start, end };
}
