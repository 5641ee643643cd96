/**
 * Path decisions made on the text alone, before any file-system call: what is refused here must
 * never reach `realpath` or `open`, so a page learns nothing about the disk from the answer and
 * a Windows UNC path never opens an SMB connection (which would send the person's NTLM hash).
 */
import path from 'node:path';

/** The path flavour the check applies; tests pass `path.win32` to exercise Windows rules anywhere. */
export type PathFlavour = typeof path.posix | typeof path.win32;

/** `\\host\share`, `//host/share`, `\\.\device`, `\\?\C:\…` and their mixed-slash forms. */
export function isUncOrDevicePath(p: string): boolean {
  return /^[\\/]{2}/.test(p);
}

/** Windows names that open a device in any folder (`C:\music\CON.mp3` is the console). */
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * True when `child` names something strictly inside `parent`. A segment test, not a prefix test:
 * `..dots.jpg` is an ordinary name, only a whole `..` segment leaves the folder.
 */
export function isInside(child: string, parent: string, flavour: PathFlavour = path): boolean {
  const rel = flavour.relative(parent, child);
  if (rel === '' || flavour.isAbsolute(rel)) return false;
  const first = rel.split(flavour.sep)[0];
  return first !== '..';
}

/**
 * The normalised absolute path a URL may serve, or null when it must be refused without touching
 * the disk: relative, UNC or device paths, `.`/`..` segments, backslashes on POSIX (never how the
 * renderer names a file, and a separator on Windows), alternate data streams and device names on
 * Windows, and anything lexically outside every root.
 */
export function lexicallyAllowed(decoded: string, roots: Iterable<string>, flavour: PathFlavour = path): string | null {
  if (decoded.length === 0 || decoded.includes('\0')) return null;
  if (isUncOrDevicePath(decoded)) return null;
  const windows = flavour.sep === '\\';
  if (!windows && decoded.includes('\\')) return null;
  if (!flavour.isAbsolute(decoded)) return null;
  if (windows) {
    // `C:\x` only: a drive-relative `C:x`, `\x` (current drive) or a second colon (an NTFS stream) is refused.
    if (!/^[a-zA-Z]:[\\/]/.test(decoded) || decoded.indexOf(':', 2) !== -1) return null;
  }
  const segments = decoded.split(/[\\/]/).slice(1);
  if (segments.some((s) => s === '..' || s === '.')) return null;
  if (windows && segments.some((s) => WINDOWS_DEVICE_NAME.test(s) || /[. ]$/.test(s))) return null;
  const candidate = flavour.normalize(decoded);
  for (const root of roots) {
    if (typeof root !== 'string' || !flavour.isAbsolute(root) || isUncOrDevicePath(root)) continue;
    if (isInside(candidate, flavour.normalize(root), flavour)) return candidate;
  }
  return null;
}
