/**
 * What the page may see this session: catalog rows under the folders the person opened (or
 * re-opened from the recent list) since the app started, and the thumbnails of those rows. The
 * catalog remembers every folder ever analysed; without this a page could read them all.
 */
import path from 'node:path';
import type { EngineEvent, FolderKind } from '../../../shared/api.ts';
import { isInside } from '../media/lexical-path.ts';

export class SessionScope {
  private readonly opened = new Map<FolderKind, Set<string>>([
    ['portraits', new Set()],
    ['music', new Set()],
  ]);
  private readonly thumbs = new Set<string>();

  /** Called with the folder as the engine resolved it, once the person chose it. */
  open(folder: string, kind: FolderKind): void {
    this.opened.get(kind)!.add(path.resolve(folder));
  }

  /** Every opened folder, of both kinds: the media roots. */
  roots(): string[] {
    return [...this.opened.values()].flatMap((s) => [...s]);
  }

  /** True when `p` is an opened folder of this kind or lies inside one (a lexical, segment test). */
  covers(p: string, kind: FolderKind): boolean {
    const abs = path.resolve(p);
    for (const root of this.opened.get(kind)!) if (abs === root || isInside(abs, root)) return true;
    return false;
  }

  /** Records the thumbnails of rows handed to the page, so the media handler may serve them. */
  show(keys: Iterable<string | null>): void {
    for (const k of keys) if (k) this.thumbs.add(k);
  }

  mayServeThumb(name: string): boolean {
    return this.thumbs.has(name);
  }

  /** Rows the engine pushes to the page as events are seen by it too. */
  observe(event: EngineEvent): void {
    if (event.type === 'portrait-analysed' && this.covers(event.portrait.path, 'portraits')) this.show([event.portrait.thumb]);
    if (event.type === 'song-indexed' && this.covers(event.song.path, 'music')) this.show([event.song.cover]);
  }
}
