/**
 * The playlist: the spec the person edits (goal, order, picks, settings) with its undo history,
 * and the pairs it gives for the open portraits and songs (shared/match.ts).
 */
import { applyEdits, baseOptions, buildPlaylist, chosenIndex, defaultSpec, swapSong, type MatchMode, type MatchPortrait, type MatchSong, type PlaylistEntry, type PlaylistSpec, type StartAt } from '../../../../shared/match.ts';
import { library } from './library.svelte.ts';

/** Matchings kept for reuse: the three goals. */
const BUILT_KEPT = 3;

class Playlist {
  spec = $state<PlaylistSpec>(defaultSpec());
  /** Each goal keeps its own edits: switching goals and back restores them. */
  private specsByMode: Partial<Record<MatchMode, PlaylistSpec>> = {};
  /** Earlier and undone specs, for Ctrl+Z / Ctrl+Shift+Z. */
  past = $state<PlaylistSpec[]>([]);
  future = $state<PlaylistSpec[]>([]);

  /** Whether portraits without a face are read (and matched) by their picture mood. */
  pictureMoodOn = $derived(this.spec.pictureMood !== false);
  /** Whether matched songs start at their best-fitting stretch or at the beginning. */
  startAt = $derived(this.spec.startAt ?? 'stretch');

  /**
   * The last few matchings, by what they depend on (the library's arrays, which are replaced on
   * every change, and the spec less its swaps and order): a swap, a move or undoing a goal switch
   * on 20,000 portraits reuses one instead of matching again. Plain, not state: a cache.
   */
  private built: { portraits: readonly unknown[]; songs: readonly unknown[]; key: string; entries: PlaylistEntry[] }[] = [];

  entries = $derived.by((): PlaylistEntry[] => {
    const spec = this.snapshot();
    const key = JSON.stringify(baseOptions(spec));
    let hit = this.built.find((b) => b.portraits === library.portraits && b.songs === library.songs && b.key === key);
    if (!hit) {
      const portraits: MatchPortrait[] = library.portraits.map((p) => ({ id: p.id, path: p.path, faces: p.faces, mood: p.mood }));
      const songs: MatchSong[] = library.songs.map((s) => ({
        id: s.id, path: s.path, quadrant: s.quadrant, probs: s.probs, valence: s.valence, arousal: s.arousal, correction: s.correction ?? null,
        duration: s.duration, timeline: s.timeline,
      }));
      hit = { portraits: library.portraits, songs: library.songs, key, entries: buildPlaylist(portraits, songs, baseOptions(spec)) };
      this.built = [hit, ...this.built.filter((b) => b.portraits === library.portraits && b.songs === library.songs)].slice(0, BUILT_KEPT);
    }
    return applyEdits(hit.entries, spec);
  });
  matched = $derived(this.entries.filter((e) => e.songId !== null));
  /**
   * Whether the playlist would have a pair, without building it: a portrait with a face (or a
   * picture mood, where those are on) and a song with a reading. Views always on screen read this,
   * so a library event does not rebuild a 20,000-pair playlist nobody is looking at.
   */
  canMatch = $derived(
    library.portraits.some((p) => p.faces.length > 0 || (this.pictureMoodOn && !!p.mood)) &&
      library.songs.some((s) => !!s.quadrant && s.valence !== null && s.arousal !== null),
  );

  /** A plain copy of the spec, for the matcher, the history and the engine. */
  snapshot(): PlaylistSpec {
    return $state.snapshot(this.spec) as PlaylistSpec;
  }

  /** Every playlist edit goes through here, so it can be undone. */
  private edit(next: PlaylistSpec): void {
    this.past = [...this.past.slice(-199), this.snapshot()];
    this.future = [];
    this.spec = next;
  }

  undo(): void {
    const prev = this.past.at(-1);
    if (!prev) return;
    this.future = [this.snapshot(), ...this.future];
    this.past = this.past.slice(0, -1);
    this.spec = prev;
  }

  redo(): void {
    const next = this.future[0];
    if (!next) return;
    this.past = [...this.past, this.snapshot()];
    this.future = this.future.slice(1);
    this.spec = next;
  }

  swap(portraitId: number): void {
    const e = this.entries.find((x) => x.portraitId === portraitId);
    if (!e) return;
    const copy = { ...e };
    swapSong(copy);
    const place = chosenIndex(copy);
    if (place >= 0) this.edit({ ...this.snapshot(), picks: { ...this.snapshot().picks, [portraitId]: place + 1 } });
  }

  /** Puts a portrait at `index` of the playlist (drag and drop, Alt+Home/End). */
  moveTo(portraitId: number, index: number): void {
    const ids = this.entries.map((e) => e.portraitId);
    const i = ids.indexOf(portraitId);
    const j = Math.max(0, Math.min(ids.length - 1, index));
    if (i < 0 || i === j) return;
    ids.splice(i, 1);
    ids.splice(j, 0, portraitId);
    this.edit({ ...this.snapshot(), sequence: ids });
  }

  setMode(mode: PlaylistSpec['mode']): void {
    if (mode === this.spec.mode) return;
    const current = this.snapshot();
    this.specsByMode[current.mode] = current;
    const saved = this.specsByMode[mode];
    // The picture-mood switch, the most uses per song and where songs start are one setting for every goal, not
    // per-goal edits: a limit that changed with the goal changed the playlist without a word.
    const next: PlaylistSpec = saved ? { ...saved } : { ...defaultSpec(), mode, order: current.order, faceChoice: current.faceChoice };
    if (current.pictureMood === undefined) delete next.pictureMood;
    else next.pictureMood = current.pictureMood;
    if (current.maxUses === undefined) delete next.maxUses;
    else next.maxUses = current.maxUses;
    if (current.startAt === undefined) delete next.startAt;
    else next.startAt = current.startAt;
    this.edit(next);
  }

  /** One setting for every goal, not one per goal. */
  setStartAt(startAt: StartAt): void {
    const next = this.snapshot();
    if (startAt === 'stretch') delete next.startAt;
    else next.startAt = startAt;
    this.edit(next);
  }

  setOrder(order: PlaylistSpec['order']): void {
    this.edit({ ...this.snapshot(), order, sequence: [] });
  }

  setPictureMood(on: boolean): void {
    const next = this.snapshot();
    if (on) delete next.pictureMood;
    else next.pictureMood = false;
    this.edit(next);
  }

  setMaxUses(maxUses: number | null): void {
    const next = this.snapshot();
    if (maxUses === null) delete next.maxUses;
    else next.maxUses = maxUses;
    this.edit(next);
  }

  pickFace(portraitId: number, faceIndex: number): void {
    const next = this.snapshot();
    next.faceChoice = { ...next.faceChoice, [portraitId]: faceIndex };
    const { [portraitId]: _dropped, ...picks } = next.picks;
    next.picks = picks;
    this.edit(next);
  }
}

export const playlist = new Playlist();
