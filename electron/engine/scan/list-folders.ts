/**
 * The in-app folder picker's view of the disk (browser mode has no native dialog): the
 * subfolders of one folder, hidden ones left out, sorted as a person reads them. Paths are
 * checked on their text first: relative, UNC and device paths never reach the file system.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FolderListing, RecentFolder } from '../../../shared/api.ts';
import { EngineError } from '../engine-error.ts';
import { isUncOrDevicePath } from '../media/lexical-path.ts';

export const MAX_LISTED_FOLDERS = 2000;

/** A folder path a person may type or paste: absolute, local, no NUL. */
export function checkedFolderPath(p: string): string {
  if (p.includes('\0') || isUncOrDevicePath(p) || !path.isAbsolute(p)) {
    throw new EngineError('invalid-argument', `"${p}" is not a full path to a folder on this computer.`);
  }
  return path.resolve(p);
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export async function listFolders(requested: string | null, recent: RecentFolder[]): Promise<FolderListing> {
  const home = os.homedir();
  const folder = requested === null ? home : checkedFolderPath(requested);
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(folder, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new EngineError('invalid-argument', `${folder} is a file, not a folder.`);
    if (code === 'EACCES' || code === 'EPERM') throw new EngineError('forbidden', `Portrait Songs may not read ${folder}.`);
    throw new EngineError('not-found', `The folder ${folder} does not exist.`);
  }
  const folders: { name: string; path: string }[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(folder, e.name);
    // A link to a folder is offered too: the person sees its name, as in a native dialog.
    if (e.isDirectory() || (e.isSymbolicLink() && (await isDirectory(full)))) folders.push({ name: e.name, path: full });
  }
  folders.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }));
  const parent = path.dirname(folder);
  return {
    path: folder,
    parent: parent === folder ? null : parent,
    folders: folders.slice(0, MAX_LISTED_FOLDERS),
    truncated: folders.length > MAX_LISTED_FOLDERS,
    home,
    recent,
  };
}
