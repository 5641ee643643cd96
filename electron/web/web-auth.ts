/**
 * Who may talk to the browser-mode server. Pure: it looks at a request's method, URL and
 * headers and says refuse, enter (the opened URL carrying the secret: set the cookie) or allow.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const SESSION_COOKIE = 'ps_session';

export type Verdict = { kind: 'allow' } | { kind: 'enter' } | { kind: 'refuse'; reason: string };
export type SessionCheck = (req: { method?: string; url?: string; headers: IncomingHttpHeaders }) => Verdict;

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function same(a: string | undefined | null, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function sessionCheck({ port, secret }: { port: number; secret: string }): SessionCheck {
  // Only the loopback names a browser on this machine uses; a rebinding DNS name never matches.
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const origins = new Set([...hosts].map((h) => `http://${h}`));
  return (req) => {
    if (!hosts.has(req.headers.host ?? '')) return { kind: 'refuse', reason: 'Wrong Host header' };
    const method = req.method ?? 'GET';
    // Browsers send Origin with every POST; a missing or foreign one is another site's form or script.
    if (method !== 'GET' && method !== 'HEAD' && !origins.has(req.headers.origin ?? '')) return { kind: 'refuse', reason: 'Cross-origin request refused' };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return { kind: 'refuse', reason: 'Bad URL' };
    }
    if (method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
      return same(url.searchParams.get('token'), secret) ? { kind: 'enter' } : { kind: 'refuse', reason: 'Wrong or expired link; use the address Portrait Songs printed' };
    }
    if (!same(cookieValue(req.headers.cookie, SESSION_COOKIE), secret)) {
      return { kind: 'refuse', reason: 'Open Portrait Songs with the address it printed when it started' };
    }
    return { kind: 'allow' };
  };
}
