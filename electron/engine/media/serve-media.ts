/**
 * The media protocol's handler, in plain web-standard Request → Response so the engine tests
 * call it directly and the Electron shell only adapts it to `protocol.handle`.
 *
 * URLs: `<base>thumb/<name>` serves a cached thumbnail; `<base>file/<encoded absolute path>`
 * serves a file only if its real path lies inside a folder the person opened. Range requests
 * are answered here (206 / 416) because `net.fetch('file:')` ignores them and seeking breaks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

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
}

const deny = (status: number, message: string): Response =>
  new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' ? false : !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The real path of the file a URL names, or an error response. */
async function resolveTarget(pathname: string, access: MediaAccess): Promise<string | Response> {
  const [, kind, ...rest] = pathname.split('/');
  const raw = rest.join('/');
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return deny(400, 'Malformed path');
  }
  if (decoded.includes('\0')) return deny(400, 'Malformed path');
  // On POSIX a backslash is a legal name character, but it is never how a legitimate URL from
  // the renderer names a file, and on Windows it would be a separator: refuse it everywhere.
  if (path.sep === '/' && decoded.includes('\\')) return deny(403, 'Forbidden');
  let candidate: string;
  let allowed: string[];
  if (kind === 'thumb') {
    if (!/^[0-9a-f]{8,64}\.jpg$/.test(decoded)) return deny(403, 'Forbidden');
    candidate = path.join(access.thumbsDir, decoded);
    allowed = [access.thumbsDir];
  } else if (kind === 'file') {
    if (!path.isAbsolute(decoded)) return deny(403, 'Forbidden');
    candidate = decoded;
    allowed = [...access.roots()];
  } else {
    return deny(404, 'Not found');
  }
  if (candidate.split(/[\\/]/).includes('..')) return deny(403, 'Forbidden');
  let real: string;
  try {
    real = await fs.promises.realpath(candidate);
  } catch {
    return deny(404, 'Not found');
  }
  for (const root of allowed) {
    let realRoot: string;
    try {
      realRoot = await fs.promises.realpath(root);
    } catch {
      continue;
    }
    if (isInside(real, realRoot)) return real;
  }
  return deny(403, 'Forbidden');
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
  if (!match) return deny(404, 'Not found');
  const target = await resolveTarget(`/${match[1]}/${match[2]}`, access);
  if (target instanceof Response) return target;
  const type = MEDIA_TYPES[path.extname(target).toLowerCase()];
  if (!type) return deny(415, 'Unsupported media type');
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(target);
  } catch {
    return deny(404, 'Not found');
  }
  if (!stat.isFile()) return deny(404, 'Not found');
  const size = stat.size;
  const headers = new Headers({
    'Content-Type': type,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-cache',
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
  const stream = Readable.toWeb(fs.createReadStream(target, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(stream, { status, headers });
}
