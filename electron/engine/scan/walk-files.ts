/**
 * Recursive folder walk. Symbolic links to folders are not followed (a link loop would never
 * end); unreadable folders and names that are not valid UTF-8 are reported, never dropped.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SkippedFile } from '../../../shared/api.ts';

export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.gif', '.avif', '.heic', '.heif', '.bmp']);

export interface WalkResult {
  /** Files that `accept` took, sorted within each folder. */
  files: string[];
  /** Files `accept` turned down. */
  others: string[];
  /** Paths that could not be read or named, with the reason. */
  problems: SkippedFile[];
}

const isUtf8 = (name: Buffer): boolean => Buffer.from(name.toString('utf8'), 'utf8').equals(name);

export async function walkFiles(roots: string[], accept: (file: string) => boolean): Promise<WalkResult> {
  const files: string[] = [];
  const others: string[] = [];
  const problems: SkippedFile[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      problems.push({ path: dir, reason: `Cannot read this folder (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    const named: { name: string; entry: (typeof entries)[number] }[] = [];
    for (const entry of entries) {
      const raw = entry.name as unknown as Buffer;
      const name = raw.toString('utf8');
      if (!isUtf8(raw)) {
        // Node can only hand such a name around as bytes; every later step keys by text.
        problems.push({ path: path.join(dir, name), reason: 'The file name is not valid UTF-8 text; rename the file to include it' });
        continue;
      }
      named.push({ name, entry });
    }
    named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { name, entry } of named) {
      if (name.startsWith('.')) continue;
      const full = path.join(dir, name);
      if (entry.isDirectory()) await visit(full);
      else if (entry.isSymbolicLink() && (await fs.stat(full).then((s) => s.isDirectory(), () => false))) {
        problems.push({ path: full, reason: 'A link to a folder; not followed, so a link loop cannot trap the scan' });
      } else if (entry.isFile() || entry.isSymbolicLink()) (accept(full) ? files : others).push(full);
    }
  };
  for (const root of roots) {
    const abs = path.resolve(root);
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch {
      problems.push({ path: abs, reason: 'No such file or folder' });
      continue;
    }
    if (stat.isDirectory()) await visit(abs);
    else files.push(abs);
  }
  return { files, others, problems };
}

export const isImageFile = (file: string): boolean => IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase());

export function notImageReason(file: string): string {
  const ext = path.extname(file).toLowerCase();
  return ext ? `Not an image file (${ext})` : 'Not an image file (no file extension)';
}
