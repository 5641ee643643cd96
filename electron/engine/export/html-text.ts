/** Making text and paths safe to place in HTML. */
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { formatClock } from '../../../shared/clock.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For text content and for attribute values (always written in double quotes). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A relative reference (forward slashes) as a URL: each segment percent-encoded, `..` kept. */
export function hrefFor(ref: string): string {
  if (path.isAbsolute(ref)) return pathToFileURL(ref).href;
  return ref.split('/').map((seg) => (seg === '..' || seg === '.' ? seg : encodeURIComponent(seg))).join('/');
}

export function formatDuration(seconds: number | null): string {
  return seconds === null || !Number.isFinite(seconds) ? '' : formatClock(seconds);
}

/** Black or white, whichever reads better on a badge of this colour (WCAG relative luminance). */
export function inkFor(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return lum > 0.179 ? '#111318' : '#ffffff';
}
