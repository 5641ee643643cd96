/** The playlist the person sees, rebuilt from portraits, songs and their edits, as export items. */
import type { Portrait, Song } from '../../../shared/api.ts';
import { playlistFromSpec, type PlaylistSpec } from '../../../shared/match.ts';
import type { ExportItem } from './types.ts';

export function playlistItems(portraits: Portrait[], songs: Song[], spec: PlaylistSpec): ExportItem[] {
  const portraitById = new Map(portraits.map((p) => [p.id, p]));
  const songById = new Map(songs.map((s) => [s.id, s]));
  return playlistFromSpec(portraits, songs, spec).map((entry) => ({
    portrait: portraitById.get(entry.portraitId)!,
    entry,
    song: entry.songId === null ? null : (songById.get(entry.songId) ?? null),
  }));
}
