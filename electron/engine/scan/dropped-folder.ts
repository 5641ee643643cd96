/**
 * What a drop onto the window opens: the dropped folder (or the folder the dropped files share),
 * as portraits or as music by what it holds. Paths come from the page, so each is checked like
 * any argument: absolute, local, no NUL, and existing.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FolderKind } from '../../../shared/api.ts';
import { EngineError } from '../engine-error.ts';
import { isAudioFile } from '../music/index-music-folder.ts';
import { checkedFolderPath } from './list-folders.ts';
import { isImageFile } from './walk-files.ts';

/** Enough files to tell a folder's kind; a whole disk dropped by mistake is not walked to the end. */
export const MAX_COUNTED_ENTRIES = 20_000;

export interface FileCounts {
  images: number;
  audio: number;
}

export interface DroppedFolder extends FileCounts {
  folder: string;
  kind: FolderKind;
}

/** The kind of a folder from its counts, or why it cannot be opened, written for a person. */
export function decideFolderKind(counts: FileCounts, where: string): { kind: FolderKind } | { reason: string } {
  const { images, audio } = counts;
  if (images === 0 && audio === 0) {
    return { reason: `Nothing to open in ${where}: it holds no images (JPEG, PNG, WebP…) and no audio files (MP3, Ogg, FLAC…).` };
  }
  if (images === audio) {
    return { reason: `${where} holds as many images as audio files (${images} each); open it with Open portraits or Open music to say which it is.` };
  }
  return { kind: images > audio ? 'portraits' : 'music' };
}

/** The deepest folder that holds every one of `folders` (all absolute and resolved). */
export function commonFolder(folders: string[]): string {
  const split = (p: string) => p.split(path.sep).filter((s, i) => s !== '' || i === 0);
  let common = split(folders[0]!);
  for (const f of folders.slice(1)) {
    const parts = split(f);
    let i = 0;
    // Case-insensitive file systems (Windows, macOS) name one folder in more than one way.
    const same = (a: string, b: string) => (process.platform === 'linux' ? a === b : a.toLowerCase() === b.toLowerCase());
    while (i < common.length && i < parts.length && same(common[i]!, parts[i]!)) i++;
    common = common.slice(0, i);
  }
  const joined = common.join(path.sep);
  return joined === '' || /^[A-Za-z]:$/.test(joined) ? joined + path.sep : joined;
}

/** Counts images and audio files under `folder`, hidden ones and links to folders left out. */
export async function countMedia(folder: string, limit = MAX_COUNTED_ENTRIES): Promise<FileCounts & { complete: boolean }> {
  const counts = { images: 0, audio: 0 };
  const queue = [folder];
  let seen = 0;
  while (queue.length) {
    const dir = queue.shift()!;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue; // An unreadable subfolder says nothing about the kind of the rest.
    }
    for (const e of entries) {
      if (++seen > limit) return { ...counts, complete: false };
      if (e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) queue.push(full);
      else if (isImageFile(full)) counts.images++;
      else if (isAudioFile(full)) counts.audio++;
    }
  }
  return { ...counts, complete: true };
}

/**
 * Dropped folders count by what they hold, dropped files by what they are; the folder opened is
 * the dropped folder, or the one the dropped items share (never the root of a disk).
 */
export async function resolveDroppedPaths(paths: string[]): Promise<DroppedFolder> {
  if (paths.length === 0) throw new EngineError('invalid-argument', 'Nothing was dropped.');
  const counts = { images: 0, audio: 0 };
  const folders: string[] = [];
  for (const raw of paths) {
    const p = checkedFolderPath(raw);
    let stat;
    try {
      stat = await fs.stat(p);
    } catch {
      throw new EngineError('not-found', `${p} does not exist (any more).`);
    }
    if (stat.isDirectory()) {
      folders.push(p);
      const c = await countMedia(p);
      counts.images += c.images;
      counts.audio += c.audio;
    } else {
      folders.push(path.dirname(p));
      if (isImageFile(p)) counts.images++;
      else if (isAudioFile(p)) counts.audio++;
    }
  }
  const folder = commonFolder(folders);
  if (path.dirname(folder) === folder) {
    throw new EngineError('invalid-argument', 'What was dropped shares no folder but the top of the disk; drop one folder, or files from one folder.');
  }
  const name = path.basename(paths[0]!) || folder;
  if (paths.length === 1 && folders[0] !== path.resolve(paths[0]!) && counts.images + counts.audio === 0) {
    throw new EngineError('invalid-argument', `${name} is neither an image nor an audio file Portrait Songs reads; drop a folder of portraits or of music.`);
  }
  const where = paths.length === 1 ? `“${name}”` : `the ${paths.length} dropped items`;
  const decided = decideFolderKind(counts, where);
  if ('reason' in decided) throw new EngineError('invalid-argument', decided.reason);
  return { folder, kind: decided.kind, ...counts };
}
