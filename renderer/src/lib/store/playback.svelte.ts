/**
 * What the player holds and how the playlist drives it; the player itself (player.svelte.ts)
 * knows only URLs.
 */
import { fileUrl } from '../../../../shared/media-url.ts';
import { player } from '../player.svelte.ts';
import { library } from './library.svelte.ts';
import { playlist } from './playlist.svelte.ts';

/** A playlist pair (portraitId set) or a song on its own; `from`: where it started (s). */
export type NowPlaying = { songId: number; portraitId: number | null; from: number };

class Playback {
  nowPlaying = $state<NowPlaying | null>(null);
  /** Index into the playlist's matched pairs of the one the player holds, or null when it plays no pair. */
  playingIndex = $derived.by(() => {
    const now = this.nowPlaying;
    if (!now || now.portraitId === null) return null;
    const i = playlist.matched.findIndex((e) => e.portraitId === now.portraitId);
    return i < 0 ? null : i;
  });

  constructor() {
    // Auto-advance lives here, not in a view: the playlist keeps playing from every tab.
    player.onend = () => {
      const i = this.playingIndex;
      if (i !== null && i < playlist.matched.length - 1) this.playPair(playlist.matched[i + 1]!.portraitId);
    };
  }

  /** Plays a playlist pair: its song, with its portrait shown; `fadeMs` crossfades (exhibition mode). */
  playPair(portraitId: number, fadeMs = 0): void {
    const e = playlist.matched.find((x) => x.portraitId === portraitId);
    const song = e?.songId != null ? library.songById.get(e.songId) : undefined;
    if (!e || !song || !library.info) return;
    this.nowPlaying = { songId: song.id, portraitId, from: e.clipStart };
    player.load(fileUrl(library.info.mediaBase, song.path), true, fadeMs, e.clipStart);
  }

  /** Plays one song on its own (music table, V/A plane). */
  playSong(songId: number): void {
    const song = library.songById.get(songId);
    if (!song || !library.info) return;
    // A song on its own is the whole song: the clip belongs to a portrait.
    this.nowPlaying = { songId, portraitId: null, from: 0 };
    player.load(fileUrl(library.info.mediaBase, song.path), true);
  }

  /** Next or previous pair of the playlist; from a lone song, the playlist's start. */
  step(delta: number): void {
    const list = playlist.matched;
    if (list.length === 0) return;
    const i = this.playingIndex;
    const next = i === null ? (delta > 0 ? 0 : list.length - 1) : (i + delta + list.length) % list.length;
    this.playPair(list[next]!.portraitId);
  }

  /** Space: start the playlist, or pause and resume what plays. */
  togglePlay(): void {
    if (!this.nowPlaying) this.step(1);
    else player.toggle();
  }
}

export const playback = new Playback();
