/**
 * Decides how every file in the export refers to a portrait or a song: a path relative to the
 * export folder, either back to the original or, with copyMedia, to a copy under media/.
 */
import path from 'node:path';
import type { Portrait, Song } from '../../../shared/api.ts';
import { NameAllocator } from './safe-name.ts';
import type { ExportItem } from './types.ts';

export const MEDIA_DIR = 'media';
export const SONGS_DIR = `${MEDIA_DIR}/songs`;
export const PORTRAITS_DIR = `${MEDIA_DIR}/portraits`;

export interface MediaCopy {
  from: string;
  /** Relative to the export folder, forward slashes. */
  to: string;
}

export interface MediaPlan {
  portraitRef(p: Portrait): string;
  songRef(s: Song): string;
  copies: MediaCopy[];
}

/**
 * Forward slashes so the same text works in M3U8, HTML and on every OS. Across Windows drives
 * there is no relative path; the absolute one is kept and the HTML turns it into a file: URL.
 */
export function relativeRef(targetDir: string, file: string): string {
  const rel = path.relative(targetDir, file);
  return path.isAbsolute(rel) ? rel : rel.split(path.sep).join('/');
}

export function planMedia(targetDir: string, items: readonly ExportItem[], copyMedia: boolean): MediaPlan {
  if (!copyMedia) {
    return { portraitRef: (p) => relativeRef(targetDir, p.path), songRef: (s) => relativeRef(targetDir, s.path), copies: [] };
  }
  const copies: MediaCopy[] = [];
  // One copy per source file, however often it appears (a song may serve several portraits).
  const copied = (dir: string) => {
    const names = new NameAllocator();
    const bySource = new Map<string, string>();
    return (source: string): string => {
      let rel = bySource.get(source);
      if (!rel) {
        rel = `${dir}/${names.allocate(path.basename(source))}`;
        bySource.set(source, rel);
        copies.push({ from: source, to: rel });
      }
      return rel;
    };
  };
  const portraitCopy = copied(PORTRAITS_DIR);
  const songCopy = copied(SONGS_DIR);
  // Allocate in playlist order so the names are stable for the same request.
  for (const item of items) {
    portraitCopy(item.portrait.path);
    if (item.song) songCopy(item.song.path);
  }
  return { portraitRef: (p) => portraitCopy(p.path), songRef: (s) => songCopy(s.path), copies };
}
