/**
 * What the engine holds for the open folders: portraits, songs, the jobs reading them and what
 * they skipped. Everything comes from `window.api`; engine events update it in place so the
 * gallery fills in while the analysis runs.
 */
import type { AppInfo, EngineEvent, FaceSearch, FolderKind, JobProgress, Portrait, SkippedFile, Song } from '../../../../shared/api.ts';
import { notices } from './notices.svelte.ts';
import { mergeAppend, mergeSorted } from '../merge-rows.ts';

export type FinishedJob = { done: number; failed: number; cancelled: boolean; elapsedMs: number };

/**
 * Portraits and songs from the engine's per-file events are applied together at most this
 * often: one at a time, each copied the list and re-ran every view of it (gallery order, plane,
 * maps by id), which at 20,000 portraits took the page half a core while the engine analysed.
 */
export const EVENT_BATCH_MS = 250;

class Library {
  info = $state<AppInfo | null>(null);
  folder = $state<string | null>(null);
  // Raw, not deeply reactive: 20,000 portraits read through proxies made every playlist and gallery pass slow; updates replace the array.
  portraits = $state.raw<Portrait[]>([]);
  portraitSkipped = $state<SkippedFile[]>([]);
  job = $state<JobProgress | null>(null);
  lastJob = $state<FinishedJob | null>(null);
  musicFolder = $state<string | null>(null);
  songs = $state.raw<Song[]>([]);
  skipped = $state<SkippedFile[]>([]);
  musicJob = $state<JobProgress | null>(null);

  portraitById = $derived(new Map(this.portraits.map((p) => [p.id, p])));
  songById = $derived(new Map(this.songs.map((s) => [s.id, s])));

  async refreshInfo(): Promise<void> {
    try {
      this.info = await window.api.getAppInfo();
    } catch (err) {
      notices.notify('error', `Could not reach the analysis engine: ${(err as Error).message}`);
    }
  }

  /** Which picker to show; asked of the host first if the page has not heard from it yet (a key pressed at once). */
  async usesInAppPicker(): Promise<boolean> {
    if (!this.info) await this.refreshInfo();
    return this.info?.folderPicker === 'in-app';
  }

  private pendingPortraits: Portrait[] = [];
  private pendingSongs: Song[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  private later(): void {
    this.flushTimer ??= setTimeout(() => this.flush(), EVENT_BATCH_MS);
  }

  /** Applies the portraits and songs that events brought since the last flush (of the folders open now). */
  flush(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const portraits = this.pendingPortraits.filter((p) => p.folder === this.folder);
    const songs = this.pendingSongs.filter((s) => s.folder === this.musicFolder);
    this.pendingPortraits = [];
    this.pendingSongs = [];
    if (portraits.length) this.portraits = mergeSorted(this.portraits, portraits, (p) => p.path);
    if (songs.length) this.songs = mergeAppend(this.songs, songs);
  }

  async loadFolder(folder: string): Promise<void> {
    this.flush();
    this.folder = folder;
    this.portraits = await window.api.listPortraits({ folder });
  }

  private async reloadSongs(folder: string): Promise<void> {
    const songs = await window.api.listSongs({ folder }).catch(() => null);
    if (songs && folder === this.musicFolder) this.songs = songs;
  }

  private async reloadPortraits(folder: string): Promise<void> {
    const portraits = await window.api.listPortraits({ folder }).catch(() => null);
    if (portraits && folder === this.folder) this.portraits = portraits;
  }

  /** Returns whether the engine took it; the engine answers with the app info as it now stands. */
  async setFaceSearch(mode: FaceSearch): Promise<boolean> {
    try {
      this.info = await window.api.setFaceSearch({ mode });
    } catch (err) {
      notices.notify('error', `Could not change the face search: ${(err as Error).message}`);
      return false;
    }
    const running = this.job ? ` The analysis running now finishes with the ${mode === 'quick' ? 'thorough' : 'quick'} search.` : '';
    notices.notify('info', `${mode === 'quick' ? 'Quick' : 'Thorough'} face search from now on: open folders are analysed again with it the next time they are scanned (re-open a folder to do it now).${running}`);
    return true;
  }

  async cancelJob(kind: FolderKind): Promise<void> {
    const job = kind === 'music' ? this.musicJob : this.job;
    if (job) await window.api.cancelJob({ jobId: job.jobId });
  }

  /** Puts a portrait in its place (by path), replacing the one with its id. */
  putPortrait(p: Portrait): void {
    // This answer is newer than any event still waiting for its batch.
    this.flush();
    this.portraits = mergeSorted(this.portraits, [p], (x) => x.path);
  }

  /** Replaces the song with its id, or adds it at the end. */
  putSong(song: Song): void {
    this.flush();
    this.songs = mergeAppend(this.songs, [song]);
  }

  /** The engine events about jobs, portraits and songs; the others are events.ts's. */
  apply(event: EngineEvent): void {
    switch (event.type) {
      case 'job-started':
        this.track({ jobId: event.jobId, kind: event.kind, folder: event.folder, done: 0, total: event.total, failed: 0, etaMs: null, current: null });
        break;
      case 'job-progress': {
        const { type: _type, ...progress } = event;
        this.track(progress);
        break;
      }
      case 'portrait-analysed':
        if (event.portrait.folder !== this.folder) break;
        this.pendingPortraits.push(event.portrait);
        this.later();
        break;
      case 'song-indexed':
        if (event.song.folder !== this.musicFolder) break;
        this.pendingSongs.push(event.song);
        this.later();
        break;
      case 'songs-removed':
        this.flush();
        if (event.folder === this.musicFolder) this.songs = this.songs.filter((s) => !event.ids.includes(s.id));
        break;
      case 'portraits-removed':
        this.flush();
        if (event.folder === this.folder) this.portraits = this.portraits.filter((p) => !event.ids.includes(p.id));
        break;
      case 'job-finished':
        this.flush();
        this.finish(event);
        break;
      case 'job-failed':
        if (this.job?.jobId === event.jobId) this.job = null;
        if (this.musicJob?.jobId === event.jobId) this.musicJob = null;
        notices.notify('error', `Analysis stopped: ${event.message}`);
        break;
      case 'engine-restarted':
        this.job = null;
        this.musicJob = null;
        notices.notify('error', event.reason);
        break;
    }
  }

  /** Progress counts only for the folder open now: one opened since has its own jobs. */
  private track(job: JobProgress): void {
    if (job.kind === 'index-music') {
      if (job.folder === this.musicFolder) this.musicJob = job;
    } else if (job.folder === this.folder) this.job = job;
  }

  private finish(event: Extract<EngineEvent, { type: 'job-finished' }>): void {
    // Events sent before the renderer learnt which folder opened (a fast job) were passed
    // over; the finished job's folder is re-read, so nothing indexed meanwhile is missing.
    if (event.kind === 'index-music' && event.folder === this.musicFolder) void this.reloadSongs(event.folder);
    else if (event.kind !== 'index-music' && event.folder === this.folder) void this.reloadPortraits(event.folder);
    if (this.musicJob?.jobId === event.jobId) {
      this.musicJob = null;
      this.skipped = event.skipped;
      if (event.cancelled) notices.notify('info', `Indexing stopped after ${event.done} songs. Open the folder again to continue.`);
      // A re-scan that only found songs gone (the folder watcher's, or a re-open) has nothing to tell.
      else if (event.done > 0) notices.notify('info', `Music indexed: ${event.done} song${event.done === 1 ? '' : 's'} analysed${event.failed ? `, ${event.failed} could not be decoded` : ''}.`);
    } else if (this.job?.jobId === event.jobId) {
      this.job = null;
      this.lastJob = { done: event.done, failed: event.failed, cancelled: event.cancelled, elapsedMs: event.elapsedMs };
      if (event.cancelled) notices.notify('info', `Analysis stopped after ${event.done} images. Open the folder again to continue.`);
    }
  }
}

export const library = new Library();
