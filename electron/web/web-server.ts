/**
 * Browser mode's HTTP server: the same renderer, the same handler table and dispatcher, the
 * same media handler as the Electron shell, over loopback HTTP. Requests are POST per call with
 * the same envelopes; engine events go out as Server-Sent Events.
 *
 * As strict as the shell: it listens on 127.0.0.1 only; a random per-session secret arrives once
 * in the opened URL and becomes an HttpOnly SameSite=Strict cookie, and every request without it
 * is refused; the Host header must name this loopback address and port (DNS rebinding); a POST's
 * Origin must be the app's own; the app's CSP goes on every response; no CORS headers at all.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline, Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { AddressInfo } from 'node:net';
import type { ApiHandlers, EngineEvent } from '../../shared/api.ts';
import { rendererCsp } from '../../shared/csp.ts';
import { dispatch } from '../engine/api/dispatch.ts';
import { serveMedia, type MediaAccess } from '../engine/media/serve-media.ts';
import { sessionCheck, SESSION_COOKIE, type SessionCheck } from './web-auth.ts';

export const CSP = rendererCsp();
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
const KEEPALIVE_MS = 15_000;

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface WebServerOptions {
  rendererDir: string;
  handlers: ApiHandlers;
  media: MediaAccess;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  /** 0 (the default) picks a free port. */
  port?: number;
  secret: string;
}

export interface WebServer {
  origin: string;
  /** The URL to open once: it carries the session secret. */
  url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Media bodies up to this size are buffered rather than streamed (thumbnails are about 15–40 KB). */
const SMALL_BODY_BYTES = 256 * 1024;

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

async function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Files of the built renderer only: resolved inside its folder, regular files, known types. */
function staticFile(rendererDir: string, pathname: string): string | null {
  let rel: string;
  try {
    rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  const file = path.resolve(rendererDir, rel);
  if (!file.startsWith(rendererDir + path.sep) || !STATIC_TYPES[path.extname(file)]) return null;
  try {
    return fs.statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const rendererDir = path.resolve(options.rendererDir);
  const streams = new Set<http.ServerResponse>();
  let check: SessionCheck | null = null;

  const server = http.createServer(async (req, res) => {
    try {
      const verdict = check!(req);
      if (verdict.kind === 'refuse') return send(res, 403, verdict.reason);
      if (verdict.kind === 'enter') {
        // The secret leaves the address bar (and the history) at once.
        return send(res, 303, 'See /', {
          Location: '/',
          'Set-Cookie': `${SESSION_COOKIE}=${options.secret}; HttpOnly; SameSite=Strict; Path=/`,
        });
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');

      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST') return send(res, 405, 'Use POST', { Allow: 'POST' });
        if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return send(res, 415, 'Send JSON');
        const body = await readBody(req);
        if (body === null) return send(res, 413, 'Request too large');
        let arg: unknown;
        try {
          arg = (JSON.parse(body.toString('utf8') || '{}') as { arg?: unknown }).arg;
        } catch {
          return send(res, 400, 'Malformed JSON');
        }
        const envelope = await dispatch(options.handlers, decodeURIComponent(url.pathname.slice('/api/'.length)), arg);
        return send(res, 200, JSON.stringify(envelope), { 'Content-Type': 'application/json; charset=utf-8' });
      }

      if (url.pathname === '/events') {
        if (req.method !== 'GET') return send(res, 405, 'Use GET', { Allow: 'GET' });
        res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        streams.add(res);
        const off = options.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
        const keepalive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
        res.on('close', () => {
          off();
          clearInterval(keepalive);
          streams.delete(res);
        });
        return;
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });

      if (url.pathname.startsWith('/media/')) {
        const headers = new Headers();
        if (typeof req.headers.range === 'string') headers.set('range', req.headers.range);
        const response = await serveMedia(new Request(`http://127.0.0.1${url.pathname}`, { method: req.method, headers }), options.media);
        res.writeHead(response.status, { ...SECURITY_HEADERS, ...Object.fromEntries(response.headers) });
        if (!response.body || req.method !== 'GET') res.end();
        // A small body of known length (a thumbnail, a short range) is written at once: a web
        // stream per thumbnail cost more CPU than reading the file.
        else if (response.headers.has('content-length') && Number(response.headers.get('content-length')) <= SMALL_BODY_BYTES) {
          res.end(Buffer.from(await response.arrayBuffer()));
        }
        // pipeline, not pipe: when the page drops a request (a song scrolled away before it
        // came), the file's stream is destroyed and its handle closed now, not at GC.
        else pipeline(Readable.fromWeb(response.body as WebReadableStream), res, () => undefined);
        return;
      }

      const file = staticFile(rendererDir, url.pathname);
      if (!file) return send(res, 404, 'Not found');
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': STATIC_TYPES[path.extname(file)]!, 'Cache-Control': 'no-cache' });
      if (req.method === 'HEAD') return void res.end();
      fs.createReadStream(file).pipe(res);
    } catch (err) {
      if (!res.headersSent) send(res, 500, `Internal error: ${(err as Error).message}`);
      else res.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  check = sessionCheck({ port, secret: options.secret });
  return {
    origin,
    url: `${origin}/?token=${options.secret}`,
    async close() {
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
