/**
 * Is a frame's URL the app's own page? Compared as file-system paths, not URL strings:
 * Chromium keeps `~` and `[ ]` that Node's pathToFileURL escapes, and on Windows upper-cases
 * the drive letter, so a string comparison can refuse the app itself. No `electron` import:
 * the tests load this file.
 */
import path from 'node:path';

export type Platform = 'win32' | 'posix';

/** The file path a `file:` URL names, or null for anything else. */
export function filePathOf(url: string, platform: Platform): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'file:') return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  if (platform === 'win32') {
    const local = /^\/[a-zA-Z]:\//.test(pathname) ? pathname.slice(1) : pathname;
    const full = u.host ? `//${u.host}${local}` : local;
    return path.win32.normalize(full);
  }
  if (u.host && u.host !== 'localhost') return null;
  return path.posix.normalize(pathname);
}

export function isAppUrl(url: string, indexFile: string, platform: Platform = process.platform === 'win32' ? 'win32' : 'posix'): boolean {
  const file = filePathOf(url, platform);
  if (file === null) return false;
  if (platform === 'win32') return file.toLowerCase() === path.win32.normalize(indexFile).toLowerCase();
  return file === path.posix.normalize(indexFile);
}
