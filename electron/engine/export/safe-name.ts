/**
 * Names of files the export writes. Every one is checked before use so that a hostile or odd
 * source name (`..`, a separator, an absolute path, a NUL) can never place a file outside the
 * export folder.
 */
import path from 'node:path';
import { ExportError } from './types.ts';

/** A single path segment we are willing to create. */
export function assertSafeFileName(name: string): string {
  const bad =
    name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\') || name.includes('\0') || path.isAbsolute(name) || /^[a-zA-Z]:/.test(name);
  if (bad) throw new ExportError('invalid-name', `Refusing to create a file named "${name}": it is not a plain file name.`);
  return name;
}

/** A relative path (forward slashes) inside the export folder made of safe segments. */
export function assertSafeRelative(rel: string): string {
  if (rel === '' || rel.startsWith('/')) throw new ExportError('invalid-name', `Refusing to write "${rel}": it is not a path inside the export folder.`);
  for (const segment of rel.split('/')) assertSafeFileName(segment);
  return rel;
}

/** Resolves a checked relative path under `root`, and checks the result really is under it. */
export function resolveInside(root: string, rel: string): string {
  const full = path.resolve(root, ...assertSafeRelative(rel).split('/'));
  if (!full.startsWith(path.resolve(root) + path.sep)) throw new ExportError('invalid-name', `Refusing to write "${rel}": it would land outside the export folder.`);
  return full;
}

/**
 * Hands out distinct file names in one folder: `song.ogg`, then `song (2).ogg`, … Compared
 * case-insensitively because the folder may end up on a case-insensitive disk (macOS, Windows).
 */
export class NameAllocator {
  private readonly taken = new Set<string>();

  allocate(wanted: string): string {
    const clean = assertSafeFileName(wanted);
    const ext = path.extname(clean);
    const stem = ext && ext !== clean ? clean.slice(0, -ext.length) : clean;
    for (let n = 1; ; n++) {
      const name = n === 1 ? clean : `${stem} (${n})${ext === clean ? '' : ext}`;
      if (!this.taken.has(name.toLowerCase())) {
        this.taken.add(name.toLowerCase());
        return name;
      }
    }
  }
}
