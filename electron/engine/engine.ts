/**
 * The engine: everything behind the renderer that is not Electron. The app runs it in a
 * utility process, the CLI in-process, the tests directly. It must never import `electron`.
 *
 * This is the facade: the contract's calls, each handed to the part that owns it
 * (portraits: analyse/portraits.ts; music: music/music-library.ts; watching: watch/watching.ts;
 * export: export/export-playlist.ts; the one job queue: jobs/job-queue.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AppInfo, CorrectionInput, EngineEvent, ExportOutcome, FaceSearch, FolderKind, FolderOpened, Portrait, RecentFolder, Song } from '../../shared/api.ts';
import { openCatalog, type Db } from './catalog/open-catalog.ts';
import type { PortraitRow } from './catalog/portraits-table.ts';
import type { IndexSummary } from './music/index-music-folder.ts';
import { MusicLibrary, type IndexHooks } from './music/music-library.ts';
import { Portraits } from './analyse/portraits.ts';
import type { DetectPreset } from './analyse/analyse-portrait.ts';
import { faceSearchOf, loadFaceSearch, presetOf, saveFaceSearch } from './analyse/face-search.ts';
import { exportPlaylist, type TrustedExportRequest } from './export/export-playlist.ts';
import { followFolders, type WatchOption } from './watch/watching.ts';
import type { LiveFolders } from './watch/live-folders.ts';
import type { FaceRuntimeInfo } from './ml/onnx-runtime.ts';
import { DefaultFaceClassifier } from './classify/default-classifier.ts';
import { currentBackend, initBackend } from './ml/backend.ts';
import type { FaceClassifier } from './types.ts';
import { APP_VERSION } from './version.ts';
import { EngineError } from './engine-error.ts';
import { EngineContext } from './engine-context.ts';

export { EngineError };

/** What the engine knows of AppInfo; the host adds how it serves media and picks folders. */
export type EngineInfo = Omit<AppInfo, 'mediaBase' | 'folderPicker'>;

/** What the shell's process boundary carries: plain data in, plain data out. */
export interface EngineApi {
  getInfo(): Promise<EngineInfo>;
  /** Trusted: the host calls it only for folders the person chose. */
  openFolder(req: { path: string; kind: FolderKind }): Promise<FolderOpened>;
  listPortraits(req: { folder: string }): Promise<Portrait[]>;
  listSongs(req: { folder: string }): Promise<Song[]>;
  getPortrait(req: { id: number }): Promise<Portrait>;
  getSong(req: { id: number }): Promise<Song>;
  correctFace(req: { portraitId: number; faceIndex: number; reading: CorrectionInput }): Promise<Portrait>;
  correctSong(req: { songId: number; reading: CorrectionInput }): Promise<Song>;
  cancelJob(req: { jobId: string }): Promise<{ cancelled: boolean }>;
  /** Kept in the catalog; analyses started from now on use it. */
  setFaceSearch(req: { mode: FaceSearch }): Promise<EngineInfo>;
  recentFolders(): Promise<RecentFolder[]>;
  /** Trusted: `target` is a folder the person picked in the export dialog. */
  exportPlaylist(req: TrustedExportRequest): Promise<ExportOutcome>;
}

export interface EngineOptions {
  dataDir: string;
  /** Catalog file; defaults to `catalog.sqlite` in dataDir. */
  dbFile?: string;
  classifier?: FaceClassifier;
  /**
   * Face detection preset, over the person's stored face search (the CLI's `--fast`: the command
   * line says which, and nothing is stored). `fast` stops after two looks (CLAHE, then the mirror
   * where it found nothing); `art` takes two more looks where those found nothing: the same on
   * portraits, more faces on sculpture, coins and drawings, slower only where no face is found
   * (analyse-portrait.ts). Absent: the stored face search, else `art`.
   */
  detect?: DetectPreset;
  /**
   * Portrait-analysis worker threads (default: PORTRAIT_SONGS_ANALYSIS_WORKERS, else one per
   * core); 0 analyses in the engine's own thread.
   */
  analysisWorkers?: number;
  /**
   * Follow the open folders (one portrait folder, one music folder) for new, changed and removed
   * files and re-scan them. The app's hosts turn it on; the CLI and tests that drive the catalog
   * step by step leave it off.
   */
  watchFolders?: WatchOption;
  emit?: (event: EngineEvent) => void;
}

export class Engine implements EngineApi {
  readonly db: Db;
  readonly thumbsDir: string;
  private readonly ctx: EngineContext;
  private readonly portraits: Portraits;
  private readonly music: MusicLibrary;
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly live: LiveFolders | null;

  constructor(readonly options: EngineOptions) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.thumbsDir = path.join(options.dataDir, 'thumbs');
    fs.mkdirSync(this.thumbsDir, { recursive: true });
    this.db = openCatalog(options.dbFile ?? path.join(options.dataDir, 'catalog.sqlite'));
    if (options.emit) this.listeners.add(options.emit);
    this.ctx = new EngineContext(this.db, this.thumbsDir, (event) => {
      for (const l of this.listeners) l(event);
    });
    this.portraits = new Portraits(this.ctx, {
      classifier: options.classifier ?? new DefaultFaceClassifier(),
      classifierInProcess: options.classifier !== undefined,
      detect: options.detect ?? presetOf(loadFaceSearch(this.ctx.settings) ?? 'thorough'),
      analysisWorkers: options.analysisWorkers,
    });
    this.music = new MusicLibrary(this.ctx);
    this.live = followFolders(options.watchFolders, {
      whenIdle: () => this.ctx.jobs.idle(),
      rescan: (kind, folder) => (kind === 'music' ? this.music.scan(folder) : this.portraits.scan(folder)),
    });
  }

  get detect(): DetectPreset {
    return this.portraits.detect;
  }

  /** The analysis id rows are kept under; needs faceRuntimeInfo() first. */
  get analyser(): string {
    return this.portraits.analyser;
  }

  faceRuntimeInfo(): Promise<FaceRuntimeInfo> {
    return this.portraits.faceRuntimeInfo();
  }

  subscribe(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async getInfo(): Promise<EngineInfo> {
    let backend = currentBackend();
    if (!backend) {
      try {
        backend = await initBackend();
      } catch {
        backend = null;
      }
    }
    const faceRuntime = await this.faceRuntimeInfo().then(
      (r) => ({ name: r.name, executionProviders: r.executionProviders, executionProvider: r.executionProvider, onnxruntimeVersion: r.onnxruntimeVersion, skipped: r.skipped }),
      () => null,
    );
    return { version: APP_VERSION, backend, faceRuntime, recentFolders: this.ctx.folders.listRecent(), dataDir: this.options.dataDir, faceSearch: faceSearchOf(this.detect) };
  }

  async setFaceSearch(req: { mode: FaceSearch }): Promise<EngineInfo> {
    saveFaceSearch(this.ctx.settings, req.mode);
    // A running job keeps the preset it started with (Portraits reads it once per job).
    this.portraits.detect = presetOf(req.mode);
    return this.getInfo();
  }

  async recentFolders(): Promise<RecentFolder[]> {
    return this.ctx.folders.listRecent();
  }

  async openFolder(req: { path: string; kind: FolderKind }): Promise<FolderOpened> {
    const folder = path.resolve(req.path);
    let stat;
    try {
      stat = await fs.promises.stat(folder);
    } catch {
      throw new EngineError('not-found', `The folder ${folder} does not exist or cannot be read.`);
    }
    if (!stat.isDirectory()) throw new EngineError('invalid-argument', `${folder} is not a folder.`);
    this.ctx.folders.remember(folder, req.kind);
    const scanned = req.kind === 'music' ? this.music.scan(folder) : this.portraits.scan(folder);
    // After the scan (live-folders.ts says why); what changes meanwhile is re-scanned once it is ready.
    this.live?.watch(req.kind, folder, scanned).catch((err: Error) => console.error(`Watching ${folder}: ${err.message}`));
    return scanned;
  }

  async listPortraits(req: { folder: string }): Promise<Portrait[]> {
    return this.portraits.list(path.resolve(req.folder));
  }

  async getPortrait(req: { id: number }): Promise<Portrait> {
    return this.portraits.get(req.id);
  }

  async correctFace(req: { portraitId: number; faceIndex: number; reading: CorrectionInput }): Promise<Portrait> {
    return this.portraits.correctFace(req.portraitId, req.faceIndex, req.reading);
  }

  async listSongs(req: { folder: string }): Promise<Song[]> {
    return this.music.list(path.resolve(req.folder));
  }

  async getSong(req: { id: number }): Promise<Song> {
    return this.music.get(req.id);
  }

  async correctSong(req: { songId: number; reading: CorrectionInput }): Promise<Song> {
    return this.music.correct(req.songId, req.reading);
  }

  async cancelJob(req: { jobId: string }): Promise<{ cancelled: boolean }> {
    return { cancelled: this.ctx.jobs.cancel(req.jobId) };
  }

  async exportPlaylist(req: TrustedExportRequest): Promise<ExportOutcome> {
    const portraits = this.portraits.list(path.resolve(req.portraitFolder));
    const songs = this.music.list(path.resolve(req.musicFolder));
    return exportPlaylist(req, portraits, songs, this.thumbsDir);
  }

  /** Indexes a music folder with one worker per core (the app's job and the CLI share it). */
  indexMusic(folder: string, hooks: IndexHooks = {}): Promise<IndexSummary> {
    return this.music.index(folder, hooks);
  }

  /** For the CLI: analyse files (using the catalog as a cache) and hand back each result in order. */
  analyseFiles(files: string[], onResult: (row: PortraitRow, analysed: boolean) => void, signal?: AbortSignal): Promise<void> {
    return this.portraits.analyseFiles(files, onResult, signal);
  }

  /** Waits until every queued analysis has finished (tests and the CLI use it). */
  async idle(): Promise<void> {
    for (;;) {
      await this.ctx.jobs.idle();
      const q = this.ctx.jobs.last;
      await this.live?.idle();
      // A re-scan may have queued a job: idle means neither is left.
      if (q === this.ctx.jobs.last && !this.live?.busy) return;
    }
  }

  /** Stops following the open folders (close() does it too, without waiting). */
  async stopWatching(): Promise<void> {
    await this.live?.close();
  }

  close(): void {
    this.live?.close().catch(() => undefined);
    this.ctx.jobs.cancelAll();
    this.db.close();
  }
}
