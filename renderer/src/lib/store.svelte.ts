/**
 * The renderer's state. Everything it knows comes from `window.api`; events from the engine
 * update it in place so the gallery fills in while the analysis runs.
 */
import type { AppInfo, CorrectionInput, EngineEvent, FolderKind, FolderOpened, JobProgress, Portrait, SkippedFile, Song } from '../../../shared/api.ts';
import { songReading, type Quadrant, type Reading } from '../../../shared/emotion.ts';
import { portraitReading, type ReadingKind } from '../../../shared/picture-mood.ts';
import { defaultSpec, playlistFromSpec, swapSong, type MatchMode, type MatchPortrait, type MatchSong, type PlaylistEntry, type PlaylistSpec, type StartAt } from '../../../shared/match.ts';
import { fileUrl } from '../../../shared/media-url.ts';
import { player } from './player.svelte.ts';
import { folderPicker } from './folder-picker.svelte.ts';

export type QuadrantFilter = Quadrant | 'all' | 'none' | 'error';

export type View = 'portraits' | 'music' | 'playlist' | 'plane';

class Store {
  view = $state<View>('portraits');
  info = $state<AppInfo | null>(null);
  musicFolder = $state<string | null>(null);
  songs = $state<Song[]>([]);
  musicJob = $state<JobProgress | null>(null);
  skipped = $state<SkippedFile[]>([]);
  portraitSkipped = $state<SkippedFile[]>([]);
  songFilter = $state<QuadrantFilter>('all');
  folder = $state<string | null>(null);
  portraits = $state<Portrait[]>([]);
  job = $state<JobProgress | null>(null);
  lastJob = $state<{ done: number; failed: number; cancelled: boolean; elapsedMs: number } | null>(null);
  selectedId = $state<number | null>(null);
  filter = $state<QuadrantFilter>('all');
  notices = $state<{ id: number; kind: 'error' | 'info'; text: string }[]>([]);
  private noticeId = 0;
  spec = $state<PlaylistSpec>(defaultSpec());
  /** Each goal keeps its own edits: switching goals and back restores them. */
  private specsByMode: Partial<Record<MatchMode, PlaylistSpec>> = {};
  /** Earlier and undone specs, for Ctrl+Z / Ctrl+Shift+Z. */
  past = $state<PlaylistSpec[]>([]);
  future = $state<PlaylistSpec[]>([]);
  /** What the player actually holds: a playlist pair (portraitId set) or a song on its own; `from`: where it started (s). */
  nowPlaying = $state<{ songId: number; portraitId: number | null; from: number } | null>(null);

  /** One reading per portrait and song (shared/emotion.ts): badge, numbers, filters and plane agree. */
  /** Whether portraits without a face are read (and matched) by their picture mood: the playlist setting. */
  pictureMoodOn = $derived(this.spec.pictureMood !== false);
  /** Whether matched songs start at their best-fitting stretch (the playlist setting) or at the beginning. */
  startAt = $derived(this.spec.startAt ?? 'stretch');
  portraitReadings = $derived(new Map(this.portraits.map((p) => [p.id, portraitReading(p, this.pictureMoodOn)] as const)));
  songReadings = $derived(new Map(this.songs.map((s) => [s.id, songReading(s)] as const)));
  portraitReading(id: number): (Reading & { kind: ReadingKind }) | null {
    return this.portraitReadings.get(id) ?? null;
  }
  songReading(id: number): Reading | null {
    return this.songReadings.get(id) ?? null;
  }

  playlist = $derived.by((): PlaylistEntry[] => {
    const portraits: MatchPortrait[] = this.portraits.map((p) => ({ id: p.id, path: p.path, faces: p.faces, mood: p.mood }));
    const songs: MatchSong[] = this.songs.map((s) => ({
      id: s.id, path: s.path, quadrant: s.quadrant, probs: s.probs, valence: s.valence, arousal: s.arousal, correction: s.correction ?? null,
      duration: s.duration, timeline: s.timeline,
    }));
    return playlistFromSpec(portraits, songs, $state.snapshot(this.spec) as PlaylistSpec);
  });
  portraitById = $derived(new Map(this.portraits.map((p) => [p.id, p])));
  songById = $derived(new Map(this.songs.map((s) => [s.id, s])));
  matched = $derived(this.playlist.filter((e) => e.songId !== null));
  /** Index into `matched` of the pair the player holds, or null when it plays no pair. */
  playingIndex = $derived.by(() => {
    const now = this.nowPlaying;
    if (!now || now.portraitId === null) return null;
    const i = this.matched.findIndex((e) => e.portraitId === now.portraitId);
    return i < 0 ? null : i;
  });

  private snapshot(): PlaylistSpec {
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
    const e = this.playlist.find((x) => x.portraitId === portraitId);
    if (!e) return;
    const copy = { ...e };
    swapSong(copy);
    if (copy.rank !== null) this.edit({ ...this.snapshot(), picks: { ...this.snapshot().picks, [portraitId]: copy.rank } });
  }

  move(portraitId: number, delta: number): void {
    const i = this.playlist.findIndex((e) => e.portraitId === portraitId);
    this.moveTo(portraitId, i + delta);
  }

  /** Puts a portrait at `index` of the playlist (drag and drop, Alt+Home/End). */
  moveTo(portraitId: number, index: number): void {
    const ids = this.playlist.map((e) => e.portraitId);
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

  /** Where matched songs start; undoable like every edit, and one setting for every goal. */
  setStartAt(startAt: StartAt): void {
    const next = this.snapshot();
    if (startAt === 'stretch') delete next.startAt;
    else next.startAt = startAt;
    this.edit(next);
  }

  setOrder(order: PlaylistSpec['order']): void {
    this.edit({ ...this.snapshot(), order, sequence: [] });
  }

  /** Turns matching by picture mood (portraits without a face) on or off; undoable like every edit. */
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

  /** Plays a playlist pair: its song, with its portrait shown; `fadeMs` crossfades (exhibition mode). */
  playPair(portraitId: number, fadeMs = 0): void {
    const e = this.matched.find((x) => x.portraitId === portraitId);
    const song = e?.songId != null ? this.songById.get(e.songId) : undefined;
    if (!e || !song || !this.info) return;
    this.nowPlaying = { songId: song.id, portraitId, from: e.clipStart };
    player.load(fileUrl(this.info.mediaBase, song.path), true, fadeMs, e.clipStart);
  }

  /** Plays one song on its own (music table, V/A plane). */
  playSong(songId: number): void {
    const song = this.songById.get(songId);
    if (!song || !this.info) return;
    // A song on its own is the whole song: the clip belongs to a portrait.
    this.nowPlaying = { songId, portraitId: null, from: 0 };
    player.load(fileUrl(this.info.mediaBase, song.path), true);
  }

  /** Next or previous pair of the playlist; from a lone song, the playlist's start. */
  step(delta: number): void {
    const list = this.matched;
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

  constructor() {
    // Auto-advance lives here, not in a view: the playlist keeps playing from every tab.
    player.onend = () => {
      const i = this.playingIndex;
      if (i !== null && i < this.matched.length - 1) this.playPair(this.matched[i + 1]!.portraitId);
    };
  }

  /** Sets (or, with null, undoes) the person's reading of a face; the engine stores it beside the model's. */
  async correctFace(portraitId: number, faceIndex: number, reading: CorrectionInput): Promise<void> {
    try {
      const p = await window.api.correctFace({ portraitId, faceIndex, reading });
      const i = this.portraits.findIndex((x) => x.id === p.id);
      if (i >= 0) this.portraits[i] = p;
    } catch (err) {
      this.notify('error', `Could not save your reading: ${(err as Error).message}`);
    }
  }

  async correctSong(songId: number, reading: CorrectionInput): Promise<void> {
    try {
      const song = await window.api.correctSong({ songId, reading });
      const i = this.songs.findIndex((x) => x.id === song.id);
      if (i >= 0) this.songs[i] = song;
    } catch (err) {
      this.notify('error', `Could not save your reading: ${(err as Error).message}`);
    }
  }

  async exportPairs(copyMedia: boolean): Promise<void> {
    if (!this.folder || !this.musicFolder) return;
    try {
      let target: string | undefined;
      if (await this.usesInAppPicker()) {
        const picked = await folderPicker.ask('export');
        if (picked === null) return;
        target = picked;
      }
      const outcome = await window.api.exportPairs({
        ...(target === undefined ? {} : { target }),
        portraitFolder: this.folder,
        musicFolder: this.musicFolder,
        spec: $state.snapshot(this.spec) as PlaylistSpec,
        copyMedia,
        // Never true from here: replacing needs the host's own confirmation, not the page's word.
        overwrite: false,
      });
      if (outcome.status === 'exists') {
        // The host asks "Replace?" itself before deleting; 'exists' means it did not replace.
        this.notify('error', `Nothing exported: the folder ${outcome.folder} is not empty.`);
      } else if (outcome.status === 'written') {
        this.notify('info', `Exported ${outcome.pairs} pairs to ${outcome.folder}${outcome.unmatched ? ` (${outcome.unmatched} portraits without a face listed as unmatched)` : ''}.`);
      }
    } catch (err) {
      this.notify('error', `Export failed: ${(err as Error).message}`);
    }
  }

  /** Gallery card width in px, sort and search. */
  cardSize = $state(210);
  gallerySort = $state<'name' | 'pleasant' | 'energetic' | 'faces'>('name');
  galleryQuery = $state('');

  visible = $derived.by(() => {
    const f = this.filter;
    let list: Portrait[];
    if (f === 'all') list = this.portraits;
    else if (f === 'none') list = this.portraits.filter((p) => p.status === 'done' && p.faces.length === 0);
    else if (f === 'error') list = this.portraits.filter((p) => p.status === 'error');
    else list = this.portraits.filter((p) => this.portraitReadings.get(p.id)?.quadrant === f);
    const q = this.galleryQuery.trim().toLowerCase();
    if (q) list = list.filter((p) => p.name.toLowerCase().includes(q));
    const sort = this.gallerySort;
    if (sort === 'name') return list;
    const key = (p: Portrait): number => {
      const r = this.portraitReadings.get(p.id);
      if (sort === 'faces') return p.faces.length;
      return r ? (sort === 'pleasant' ? r.valence : r.arousal) : -Infinity;
    };
    return [...list].sort((a, b) => key(b) - key(a) || a.name.localeCompare(b.name));
  });

  selected = $derived(this.portraits.find((p) => p.id === this.selectedId) ?? null);

  notify(kind: 'error' | 'info', text: string): void {
    // The same message twice says nothing new; a second copy would only push the others up.
    if (this.notices.some((n) => n.kind === kind && n.text === text)) return;
    const id = ++this.noticeId;
    this.notices.push({ id, kind, text });
    if (kind === 'info') setTimeout(() => this.dismiss(id), 6000);
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  /** Which picker to show; asked of the host first if the page has not heard from it yet (a key pressed at once). */
  private async usesInAppPicker(): Promise<boolean> {
    if (!this.info) await this.refreshInfo();
    return this.info?.folderPicker === 'in-app';
  }

  async refreshInfo(): Promise<void> {
    try {
      this.info = await window.api.getAppInfo();
    } catch (err) {
      this.notify('error', `Could not reach the analysis engine: ${(err as Error).message}`);
    }
  }

  private async reloadSongs(folder: string): Promise<void> {
    const songs = await window.api.listSongs({ folder }).catch(() => null);
    if (songs && folder === this.musicFolder) this.songs = songs;
  }

  private async reloadPortraits(folder: string): Promise<void> {
    const portraits = await window.api.listPortraits({ folder }).catch(() => null);
    if (portraits && folder === this.folder) this.portraits = portraits;
  }

  async loadFolder(folder: string): Promise<void> {
    this.folder = folder;
    this.portraits = await window.api.listPortraits({ folder });
  }

  private async afterOpen(opened: FolderOpened | null): Promise<void> {
    if (!opened) return;
    if (opened.kind === 'music') {
      this.view = 'music';
      this.musicFolder = opened.folder;
      this.songFilter = 'all';
      this.skipped = opened.skipped;
      this.songs = await window.api.listSongs({ folder: opened.folder });
      if (opened.total === 0) this.notify('info', 'No audio files were found in that folder or its subfolders.');
      await this.refreshInfo();
      return;
    }
    this.view = 'portraits';
    this.portraitSkipped = opened.skipped;
    this.filter = 'all';
    this.selectedId = null;
    this.lastJob = null;
    await this.loadFolder(opened.folder);
    if (opened.total === 0) this.notify('info', 'No images were found in that folder or its subfolders.');
    await this.refreshInfo();
  }

  async chooseFolder(kind: FolderKind = this.view === 'music' ? 'music' : 'portraits'): Promise<void> {
    try {
      // Browser mode has no native dialog: the person picks in the app, and the host checks the path.
      if (await this.usesInAppPicker()) {
        const path = await folderPicker.ask(kind);
        if (path !== null) await this.afterOpen(await window.api.chooseFolder({ kind, path }));
        return;
      }
      await this.afterOpen(await window.api.chooseFolder({ kind }));
    } catch (err) {
      this.notify('error', (err as Error).message);
    }
  }

  /** Opens what was dropped on the window; the engine decides portraits or music by what it holds. */
  async openDropped(paths: string[]): Promise<void> {
    try {
      const opened = await window.api.openDroppedPaths({ paths });
      this.notify('info', `Opened ${opened.folder} as ${opened.kind === 'music' ? 'music' : 'portraits'}.`);
      await this.afterOpen(opened);
    } catch (err) {
      this.notify('error', `Could not open what was dropped: ${(err as Error).message}`);
    }
  }

  async openRecent(path: string, kind: FolderKind): Promise<void> {
    try {
      await this.afterOpen(await window.api.openRecentFolder({ path, kind }));
    } catch (err) {
      this.notify('error', (err as Error).message);
    }
  }

  async cancelJob(kind: FolderKind): Promise<void> {
    const job = kind === 'music' ? this.musicJob : this.job;
    if (job) await window.api.cancelJob({ jobId: job.jobId });
  }

  handle(event: EngineEvent): void {
    switch (event.type) {
      case 'job-started':
        if (event.kind === 'index-music') {
          if (event.folder === this.musicFolder) {
            this.musicJob = { jobId: event.jobId, kind: event.kind, folder: event.folder, done: 0, total: event.total, failed: 0, etaMs: null, current: null };
          }
        } else if (event.folder === this.folder) {
          this.job = { jobId: event.jobId, kind: event.kind, folder: event.folder, done: 0, total: event.total, failed: 0, etaMs: null, current: null };
        }
        break;
      case 'job-progress': {
        const { type: _type, ...progress } = event;
        if (event.kind === 'index-music') {
          if (event.folder === this.musicFolder) this.musicJob = progress;
        } else if (event.folder === this.folder) this.job = progress;
        break;
      }
      case 'portrait-analysed': {
        const p = event.portrait;
        if (p.folder !== this.folder) break;
        const i = this.portraits.findIndex((x) => x.id === p.id);
        if (i >= 0) this.portraits[i] = p;
        else {
          const at = this.portraits.findIndex((x) => x.path > p.path);
          if (at < 0) this.portraits.push(p);
          else this.portraits.splice(at, 0, p);
        }
        break;
      }
      case 'song-indexed': {
        const song = event.song;
        if (song.folder !== this.musicFolder) break;
        const i = this.songs.findIndex((x) => x.id === song.id);
        if (i >= 0) this.songs[i] = song;
        else this.songs.push(song);
        break;
      }
      case 'songs-removed':
        if (event.folder === this.musicFolder) this.songs = this.songs.filter((s) => !event.ids.includes(s.id));
        break;
      case 'portraits-removed':
        if (event.folder !== this.folder) break;
        this.portraits = this.portraits.filter((p) => !event.ids.includes(p.id));
        // The detail view shows a portrait that no longer exists: close it.
        if (this.selectedId !== null && event.ids.includes(this.selectedId)) this.selectedId = null;
        break;
      case 'job-finished':
        // Events sent before the renderer learnt which folder opened (a fast job) were passed
        // over; the finished job's folder is re-read, so nothing indexed meanwhile is missing.
        if (event.kind === 'index-music' && event.folder === this.musicFolder) void this.reloadSongs(event.folder);
        else if (event.kind !== 'index-music' && event.folder === this.folder) void this.reloadPortraits(event.folder);
        if (this.musicJob?.jobId === event.jobId) {
          this.musicJob = null;
          this.skipped = event.skipped;
          if (event.cancelled) this.notify('info', `Indexing stopped after ${event.done} songs. Open the folder again to continue.`);
          // A re-scan that only found songs gone (the folder watcher's, or a re-open) has nothing to tell.
          else if (event.done > 0) this.notify('info', `Music indexed: ${event.done} song${event.done === 1 ? '' : 's'} analysed${event.failed ? `, ${event.failed} could not be decoded` : ''}.`);
        } else if (this.job?.jobId === event.jobId) {
          this.job = null;
          this.lastJob = { done: event.done, failed: event.failed, cancelled: event.cancelled, elapsedMs: event.elapsedMs };
          if (event.cancelled) this.notify('info', `Analysis stopped after ${event.done} images. Open the folder again to continue.`);
        }
        break;
      case 'job-failed':
        if (this.job?.jobId === event.jobId) this.job = null;
        if (this.musicJob?.jobId === event.jobId) this.musicJob = null;
        this.notify('error', `Analysis stopped: ${event.message}`);
        break;
      case 'engine-restarted':
        this.job = null;
        this.musicJob = null;
        this.notify('error', event.reason);
        break;
      case 'confirm-replace':
        folderPicker.replace = { requestId: event.requestId, folder: event.folder };
        break;
      case 'menu':
        if (event.command === 'open-portraits') void this.chooseFolder('portraits');
        else if (event.command === 'open-music') void this.chooseFolder('music');
        break;
    }
  }
}

export const store = new Store();
