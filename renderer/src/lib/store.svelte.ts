/**
 * The renderer's state. Everything it knows comes from `window.api`; events from the engine
 * update it in place so the gallery fills in while the analysis runs.
 */
import type { AppInfo, EngineEvent, FolderKind, FolderOpened, JobProgress, Portrait, SkippedFile, Song } from '../../../shared/api.ts';
import type { Quadrant } from '../../../shared/emotion.ts';
import { defaultSpec, playlistFromSpec, swapSong, type MatchPortrait, type MatchSong, type PlaylistEntry, type PlaylistSpec } from '../../../shared/match.ts';

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
  /** Index into `playlist` of the entry the player holds. */
  playingIndex = $state<number | null>(null);

  playlist = $derived.by((): PlaylistEntry[] => {
    const portraits: MatchPortrait[] = this.portraits.map((p) => ({ id: p.id, path: p.path, faces: p.faces }));
    const songs: MatchSong[] = this.songs.map((s) => ({ id: s.id, path: s.path, quadrant: s.quadrant, probs: s.probs, valence: s.valence, arousal: s.arousal }));
    return playlistFromSpec(portraits, songs, $state.snapshot(this.spec) as PlaylistSpec);
  });
  portraitById = $derived(new Map(this.portraits.map((p) => [p.id, p])));
  songById = $derived(new Map(this.songs.map((s) => [s.id, s])));

  swap(portraitId: number): void {
    const e = this.playlist.find((x) => x.portraitId === portraitId);
    if (!e) return;
    const copy = { ...e };
    swapSong(copy);
    if (copy.rank !== null) this.spec.picks[portraitId] = copy.rank;
  }

  move(portraitId: number, delta: number): void {
    const ids = this.playlist.map((e) => e.portraitId);
    const i = ids.indexOf(portraitId);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    this.spec.sequence = ids;
  }

  setMode(mode: PlaylistSpec['mode']): void {
    this.spec = { ...defaultSpec(), mode, order: this.spec.order, faceChoice: this.spec.faceChoice };
  }

  setOrder(order: PlaylistSpec['order']): void {
    this.spec = { ...this.spec, order, sequence: [] };
  }

  pickFace(portraitId: number, faceIndex: number): void {
    this.spec.faceChoice[portraitId] = faceIndex;
    delete this.spec.picks[portraitId];
  }

  async exportPairs(copyMedia: boolean, overwrite = false): Promise<void> {
    if (!this.folder || !this.musicFolder) return;
    try {
      const outcome = await window.api.exportPairs({
        portraitFolder: this.folder,
        musicFolder: this.musicFolder,
        spec: $state.snapshot(this.spec) as PlaylistSpec,
        copyMedia,
        overwrite,
      });
      if (outcome.status === 'exists') {
        if (confirm(`The folder ${outcome.folder} is not empty. Replace its contents with this export?`)) await this.exportPairs(copyMedia, true);
      } else if (outcome.status === 'written') {
        this.notify('info', `Exported ${outcome.pairs} pairs to ${outcome.folder}${outcome.unmatched ? ` (${outcome.unmatched} portraits without a face listed as unmatched)` : ''}.`);
      }
    } catch (err) {
      this.notify('error', `Export failed: ${(err as Error).message}`);
    }
  }

  visible = $derived.by(() => {
    const f = this.filter;
    if (f === 'all') return this.portraits;
    if (f === 'none') return this.portraits.filter((p) => p.status === 'done' && p.faces.length === 0);
    if (f === 'error') return this.portraits.filter((p) => p.status === 'error');
    return this.portraits.filter((p) => p.quadrant === f);
  });

  selected = $derived(this.portraits.find((p) => p.id === this.selectedId) ?? null);

  notify(kind: 'error' | 'info', text: string): void {
    const id = ++this.noticeId;
    this.notices.push({ id, kind, text });
    if (kind === 'info') setTimeout(() => this.dismiss(id), 6000);
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  async refreshInfo(): Promise<void> {
    try {
      this.info = await window.api.getAppInfo();
    } catch (err) {
      this.notify('error', `Could not reach the analysis engine: ${(err as Error).message}`);
    }
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
      await this.afterOpen(await window.api.chooseFolder({ kind }));
    } catch (err) {
      this.notify('error', (err as Error).message);
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
      case 'job-finished':
        if (this.musicJob?.jobId === event.jobId) {
          this.musicJob = null;
          this.skipped = event.skipped;
          if (event.cancelled) this.notify('info', `Indexing stopped after ${event.done} songs. Open the folder again to continue.`);
          else this.notify('info', `Music indexed: ${event.done} songs analysed${event.failed ? `, ${event.failed} could not be decoded` : ''}.`);
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
      case 'menu':
        if (event.command === 'open-portraits') void this.chooseFolder('portraits');
        else if (event.command === 'open-music') void this.chooseFolder('music');
        break;
    }
  }
}

export const store = new Store();
