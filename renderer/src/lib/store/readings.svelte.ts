/**
 * One reading per portrait and song (shared/emotion.ts, shared/picture-mood.ts), so that badge,
 * numbers, filters and plane agree. A faceless portrait's picture mood counts only while the
 * playlist's setting allows it.
 */
import { songReading, type Reading } from '../../../../shared/emotion.ts';
import { portraitReading, type ReadingKind } from '../../../../shared/picture-mood.ts';
import { library } from './library.svelte.ts';
import { playlist } from './playlist.svelte.ts';

class Readings {
  portraits = $derived(new Map(library.portraits.map((p) => [p.id, portraitReading(p, playlist.pictureMoodOn)] as const)));
  songs = $derived(new Map(library.songs.map((s) => [s.id, songReading(s)] as const)));

  portrait(id: number): (Reading & { kind: ReadingKind }) | null {
    return this.portraits.get(id) ?? null;
  }

  song(id: number): Reading | null {
    return this.songs.get(id) ?? null;
  }
}

export const readings = new Readings();
