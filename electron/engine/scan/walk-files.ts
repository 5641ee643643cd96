/**
 * Recursive folder walk. Symbolic links to folders are not followed (a link loop would never
 * end); unreadable folders are reported, not fatal.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.gif', '.avif', '.heic', '.heif', '.bmp']);

export interface WalkResult {
  files: string[];
  problems: { path: string; message: string }[];
}

export async function walkFiles(roots: string[], accept: (file: string) => boolean): Promise<WalkResult> {
  const files: string[] = [];
  const problems: WalkResult['problems'] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      problems.push({ path: dir, message: `Cannot read this folder (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await visit(full);
      else if ((entry.isFile() || entry.isSymbolicLink()) && accept(full)) files.push(full);
    }
  };
  for (const root of roots) {
    const abs = path.resolve(root);
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch {
      problems.push({ path: abs, message: 'No such file or folder' });
      continue;
    }
    if (stat.isDirectory()) await visit(abs);
    else files.push(abs);
  }
  return { files, problems };
}

export const isImageFile = (file: string): boolean => IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase());
