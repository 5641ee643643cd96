/**
 * Publishing a folder all at once: it is built in a hidden sibling (same parent, so the final
 * rename stays on one file system and is atomic) and renamed into place at the end. Readers see
 * either the old folder or the complete new one, never half an export.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ExportError } from './types.ts';

export type TargetState = 'missing' | 'empty' | 'non-empty';

export async function inspectTarget(target: string): Promise<TargetState> {
  let stat;
  try {
    stat = await fs.stat(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
  if (!stat.isDirectory()) throw new ExportError('not-a-folder', `${target} is a file, not a folder. Choose a folder to export into.`);
  return (await fs.readdir(target)).length === 0 ? 'empty' : 'non-empty';
}

export function existsError(target: string): ExportError {
  return new ExportError('exists', `The folder ${target} already has files in it. Choose an empty or new folder, or allow replacing it (--overwrite).`);
}

/** Hidden sibling names; the base is shortened so the name stays within file-name limits. */
function siblingName(target: string, tag: string): string {
  return path.join(path.dirname(target), `.${path.basename(target).slice(0, 80)}.${tag}-${randomBytes(4).toString('hex')}`);
}

/** A temporary sibling untouched this long belongs to an export that was killed, not a running one. */
export const STALE_MS = 10 * 60 * 1000;

/** Removes what a killed export left beside `target` (its hidden build or old-copy folders). */
export async function removeStaleSiblings(target: string, now = Date.now()): Promise<string[]> {
  const prefix = `.${path.basename(target).slice(0, 80)}.`;
  const pattern = /^\.(export|old)-[0-9a-f]{8}$/;
  const removed: string[] = [];
  for (const name of await fs.readdir(path.dirname(target)).catch(() => [] as string[])) {
    if (!name.startsWith(prefix) || !pattern.test(name.slice(prefix.length - 1))) continue;
    const full = path.join(path.dirname(target), name);
    const stat = await fs.stat(full).catch(() => null);
    if (!stat?.isDirectory() || now - stat.mtimeMs < STALE_MS) continue;
    await fs.rm(full, { recursive: true, force: true });
    removed.push(full);
  }
  return removed;
}

/**
 * Runs `build` on a fresh temporary folder, then puts that folder at `target`. A non-empty
 * target is replaced only with `overwrite` (old → hidden sibling, new → target, old deleted).
 * On any failure the temporary folder is removed and the target is left as it was.
 */
export async function writeFolderAtomically(target: string, overwrite: boolean, build: (dir: string) => Promise<void>): Promise<void> {
  if (path.dirname(target) === target) throw new ExportError('unsafe-target', `Refusing to export into the root folder ${target}.`);
  await fs.mkdir(path.dirname(target), { recursive: true });
  if ((await inspectTarget(target)) === 'non-empty' && !overwrite) throw existsError(target);
  await removeStaleSiblings(target);
  const tmp = siblingName(target, 'export');
  await fs.mkdir(tmp);
  try {
    await build(tmp);
    // Checked again: the folder may have been filled while we were building.
    const state = await inspectTarget(target);
    if (state === 'non-empty' && !overwrite) throw existsError(target);
    if (state === 'missing') {
      await fs.rename(tmp, target);
    } else if (state === 'empty') {
      // Windows will not rename onto an existing folder, even an empty one.
      await fs.rmdir(target);
      await fs.rename(tmp, target);
    } else {
      const old = siblingName(target, 'old');
      await fs.rename(target, old);
      try {
        await fs.rename(tmp, target);
      } catch (err) {
        await fs.rename(old, target).catch(() => undefined);
        throw err;
      }
      // The new export is in place; a leftover old copy is untidy but harms nothing.
      await fs.rm(old, { recursive: true, force: true }).catch(() => undefined);
    }
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}
