/**
 * The engine: everything behind the renderer that is not Electron. The app runs it in a
 * utility process, the CLI in-process, the tests directly. It must never import `electron`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AppInfo, CorrectionInput, EngineEvent, ExportOutcome, ExportRequest as ApiExportRequest, FolderKind, FolderOpened, Portrait, RecentFolder, SkippedFile, Song } from '../../shared/api.ts';
import { ExportError, writeExport } from './export/write-export.ts';
import { playlistItems } from './export/playlist-items.ts';
import { openCatalog, type Db } from './catalog/open-catalog.ts';
import { FoldersTable, PortraitsTable, toPortrait, type PortraitRow } from './catalog/portraits-table.ts';
import { SongsTable, toSong, type SongRow } from './catalog/songs-table.ts';
import { CorrectionsTable, withFaceCorrections, withSongCorrection } from './catalog/corrections-table.ts';
import { MUSIC_QUADRANTS, NEUTRAL_RADIUS, personPoint } from '../../shared/emotion.ts';
import { indexMusicFolder, isAudioFile, skipReason, type IndexSummary } from './music/index-music-folder.ts';
import { SongWorkerPool } from './music/worker-pool.ts';
import { musicAnalyserId } from './music/model-id.ts';
import { songCnn } from './music/song-cnn.ts';
import { isUpToDate, type LibraryDeps } from './analyse/portrait-library.ts';
import { analyseInOrder } from './analyse/analyse-in-order.ts';
import { openAnalyser } from './analyse/portrait-analyser.ts';
import { analysisWorkerCount } from './analyse/portrait-pool.ts';
import { chooseFaceRuntime, faceRuntimeTag, type FaceRuntimeInfo } from './ml/onnx-runtime.ts';
import { isImageFile, notImageReason, walkFiles, type WalkResult } from './scan/walk-files.ts';
import { ProgressClock } from './jobs/progress-clock.ts';
import { LiveFolders } from './watch/live-folders.ts';
import { missingRows } from './scan/missing-rows.ts';
import { detectPresetTag, type DetectPreset } from './analyse/analyse-portrait.ts';
import { DefaultFaceClassifier } from './classify/default-classifier.ts';
import { currentBackend, initBackend } from './ml/backend.ts';
import type { FaceClassifier } from './types.ts';
import { APP_VERSION } from './version.ts';
import { EngineError } from './engine-error.ts';
import { PICTURE_MOOD_VERSION } from '../../shared/picture-mood.ts';

export { EngineError };

/** What the shell's process boundary carries: plain data in, plain data out. */
export interface EngineApi {
  getInfo(): Promise<Omit<AppInfo, 'mediaBase' | 'folderPicker'>>;
  /** Trusted: the host calls it only for folders the person chose. */
  openFolder(req: { path: string; kind: FolderKind }): Promise<FolderOpened>;
  listPortraits(req: { folder: string }): Promise<Portrait[]>;
  listSongs(req: { folder: string }): Promise<Song[]>;
  getPortrait(req: { id: number }): Promise<Portrait>;
  getSong(req: { id: number }): Promise<Song>;
  correctFace(req: { portraitId: number; faceIndex: number; reading: CorrectionInput }): Promise<Portrait>;
  correctSong(req: { songId: number; reading: CorrectionInput }): Promise<Song>;
  cancelJob(req: { jobId: string }): Promise<{ cancelled: boolean }>;
  recentFolders(): Promise<RecentFolder[]>;
  /** Trusted: `target` is a folder the person picked in the export dialog. */
  exportPlaylist(req: Omit<ApiExportRequest, 'overwrite'> & { overwrite: boolean; target: string }): Promise<ExportOutcome>;
}

export interface EngineOptions {
  dataDir: string;
  /** Catalog file; defaults to `catalog.sqlite` in dataDir. */
  dbFile?: string;
  classifier?: FaceClassifier;
  /**
   * Face detection preset. `fast` stops after two looks (CLAHE, then the mirror where it found
   * nothing); `art` takes two more looks where those found nothing: the same on portraits, more
   * faces on sculpture, coins and drawings, slower only where no face is found (analyse-portrait.ts).
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
  watchFolders?: boolean | { quietMs?: number; maxWaitMs?: number };
  emit?: (event: EngineEvent) => void;
}

export class Engine implements EngineApi {
  readonly db: Db;
  readonly thumbsDir: string;
  private readonly portraits: PortraitsTable;
  private readonly folders: FoldersTable;
  private readonly songs: SongsTable;
  private readonly corrections: CorrectionsTable;
  private readonly classifier: FaceClassifier;
  private readonly jobs = new Map<string, AbortController>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  /** Jobs run one at a time; a portrait job spreads its images over the analysis workers. */
  private queue: Promise<unknown> = Promise.resolve();
  private faceRuntime: FaceRuntimeInfo | null = null;
  private readonly live: LiveFolders | null;

  constructor(readonly options: EngineOptions) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.thumbsDir = path.join(options.dataDir, 'thumbs');
    fs.mkdirSync(this.thumbsDir, { recursive: true });
    this.db = openCatalog(options.dbFile ?? path.join(options.dataDir, 'catalog.sqlite'));
    this.portraits = new PortraitsTable(this.db);
    this.folders = new FoldersTable(this.db);
    this.songs = new SongsTable(this.db);
    this.corrections = new CorrectionsTable(this.db);
    this.classifier = options.classifier ?? new DefaultFaceClassifier();
    if (options.emit) this.listeners.add(options.emit);
    const watch = options.watchFolders;
    this.live = watch
      ? new LiveFolders({
          accept: (kind) => (kind === 'music' ? isAudioFile : isImageFile),
          whenIdle: () => this.queueIdle(),
          rescan: async (kind, folder) => {
            // A folder that went away as a whole (a drive unplugged) is left as it was, not emptied.
            if (!(await fs.promises.stat(folder).then((s) => s.isDirectory(), () => false))) return;
            if (kind === 'music') await this.startMusicJob(folder);
            else await this.scanPortraits(folder);
          },
          onError: (err, folder) => console.error(`Watching ${folder}: ${err.message}`),
          timing: typeof watch === 'object' ? watch : undefined,
        })
      : null;
  }

  get detect(): DetectPreset {
    return this.options.detect ?? 'art';
  }

  /** Needs the face runtime chosen (faceRuntimeInfo()): results differ, however little, by runtime and graph. */
  get analyser(): string {
    if (!this.faceRuntime) throw new Error('The face runtime is not chosen yet');
    // The picture mood's version too: catalogs from before it (or an older mapping) are re-analysed.
    // The preset's settings digest too: retuned detection passes re-analyse the catalog.
    return `detect:${detectPresetTag(this.detect)}+${faceRuntimeTag(this.faceRuntime)}+${this.classifier.name}+${PICTURE_MOOD_VERSION}`;
  }

  /** Which runtime runs the face models here (ONNX Runtime or TF.js), chosen once. */
  async faceRuntimeInfo(): Promise<FaceRuntimeInfo> {
    this.faceRuntime ??= await chooseFaceRuntime();
    return this.faceRuntime;
  }

  private openPortraitAnalyser(files: number) {
    return openAnalyser({
      workers: analysisWorkerCount(this.options.analysisWorkers),
      files,
      runtime: this.faceRuntime!.name,
      deps: this.deps(),
      // A classifier object handed in cannot cross to a worker thread.
      inProcess: this.options.classifier !== undefined,
    });
  }

  subscribe(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: EngineEvent): void {
    for (const l of this.listeners) l(event);
  }

  private deps(): LibraryDeps {
    return { portraits: this.portraits, classifier: this.classifier, detect: this.detect, thumbsDir: this.thumbsDir, analyser: this.analyser };
  }

  async getInfo(): Promise<Omit<AppInfo, 'mediaBase' | 'folderPicker'>> {
    let backend = currentBackend();
    if (!backend) {
      try {
        backend = await initBackend();
      } catch {
        backend = null;
      }
    }
    const faceRuntime = await this.faceRuntimeInfo().then(
      (r) => ({ name: r.name, executionProviders: r.executionProviders, onnxruntimeVersion: r.onnxruntimeVersion, skipped: r.skipped }),
      () => null,
    );
    return { version: APP_VERSION, backend, faceRuntime, recentFolders: this.folders.listRecent(), dataDir: this.options.dataDir };
  }

  async recentFolders(): Promise<RecentFolder[]> {
    return this.folders.listRecent();
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
    this.folders.remember(folder, req.kind);
    // Watching starts before the walk, so what changes during it is caught too.
    this.live?.watch(req.kind, folder).catch((err: Error) => console.error(`Watching ${folder}: ${err.message}`));
    if (req.kind === 'music') return this.startMusicJob(folder);
    return this.scanPortraits(folder);
  }

  /** Walks a portrait folder: prunes portraits whose files are gone, queues the new and changed. */
  private async scanPortraits(folder: string): Promise<FolderOpened> {
    await this.faceRuntimeInfo();
    const { files, others, problems } = await walkFiles([folder], isImageFile);
    const skipped = [...problems, ...others.map((f) => ({ path: f, reason: notImageReason(f) }))];
    const gone = missingRows(this.portraits.listUnder(folder), files);
    const prune = () => {
      const still = gone.filter((r) => !fs.existsSync(r.path));
      for (const r of still) this.portraits.delete(r.id);
      if (still.length) this.emit({ type: 'portraits-removed', folder, ids: still.map((r) => r.id) });
    };
    const stale = files.filter((f) => {
      try {
        return !isUpToDate(this.portraits.get(f), fs.statSync(f), this.analyser);
      } catch {
        return true;
      }
    });
    if (stale.length === 0) {
      prune();
      return { folder, kind: 'portraits', jobId: null, total: files.length, skipped };
    }
    // Pruned once the analysis is done: a moved or renamed image finds its old row by content
    // and takes over its analysis instead of being analysed again.
    const jobId = this.startJob('analyse-portraits', folder, stale.length, async (id, signal) => {
      await this.runAnalysis(id, folder, stale, signal, skipped);
      prune();
    });
    return { folder, kind: 'portraits', jobId, total: files.length, skipped };
  }

  private async runAnalysis(jobId: string, folder: string, files: string[], signal: AbortSignal, skipped: SkippedFile[]): Promise<void> {
    const clock = new ProgressClock(files.length);
    const base = { jobId, kind: 'analyse-portraits' as const, folder };
    try {
      const analyser = this.openPortraitAnalyser(files.length);
      try {
        await analyseInOrder(files, this.deps(), analyser, {
          signal,
          onNext: (file) => this.emit({ type: 'job-progress', ...base, done: clock.done, total: clock.total, failed: clock.failed, etaMs: clock.etaMs, current: path.relative(folder, file) }),
          onResult: (_file, row) => {
            clock.tick(row.error !== null);
            this.emit({ type: 'portrait-analysed', portrait: this.portraitOut(row, folder) });
          },
        });
      } finally {
        await analyser.close();
      }
      this.emit({ type: 'job-progress', ...base, done: clock.done, total: clock.total, failed: clock.failed, etaMs: 0, current: null });
      this.emit({ type: 'job-finished', ...base, done: clock.done, failed: clock.failed, cancelled: signal.aborted, elapsedMs: Math.round(clock.elapsedMs), skipped });
    } catch (err) {
      this.emit({ type: 'job-failed', ...base, message: (err as Error).message });
    }
  }

  private startJob(kind: 'analyse-portraits' | 'index-music', folder: string, total: number, work: (jobId: string, signal: AbortSignal) => Promise<void>): string {
    const jobId = randomUUID();
    const controller = new AbortController();
    this.jobs.set(jobId, controller);
    this.emit({ type: 'job-started', jobId, kind, folder, total });
    const run = this.queue.then(() => work(jobId, controller.signal)).finally(() => this.jobs.delete(jobId));
    this.queue = run.catch(() => undefined);
    return jobId;
  }

  private async startMusicJob(folder: string): Promise<FolderOpened> {
    const walked = await walkFiles([folder], isAudioFile);
    const { files, others, problems } = walked;
    const jobId = this.startJob('index-music', folder, files.length, async (id, signal) => {
      const base = { jobId: id, kind: 'index-music' as const, folder };
      try {
        const summary = await this.indexMusic(folder, {
          signal,
          walked,
          onSong: (row, analysed) => {
            if (analysed) this.emit({ type: 'song-indexed', song: this.songOut(row, folder) });
          },
          onProgress: (done, total, failed, etaMs, current) => this.emit({ type: 'job-progress', ...base, done, total, failed, etaMs, current }),
          onRemoved: (ids) => this.emit({ type: 'songs-removed', folder, ids }),
        });
        this.emit({ type: 'job-finished', ...base, done: summary.analysed, failed: summary.failed, cancelled: summary.cancelled, elapsedMs: summary.elapsedMs, skipped: summary.skipped });
      } catch (err) {
        this.emit({ type: 'job-failed', ...base, message: (err as Error).message });
      }
    });
    return { folder, kind: 'music', jobId, total: files.length, skipped: [...problems, ...others.map((f) => ({ path: f, reason: skipReason(f) }))] };
  }

  /** Indexes a music folder with one worker per core (the app's job and the CLI share it). */
  async indexMusic(
    folder: string,
    hooks: {
      signal?: AbortSignal;
      onSong?(row: SongRow, analysed: boolean): void;
      onProgress?(done: number, total: number, failed: number, etaMs: number | null, current: string | null): void;
      onRemoved?(ids: number[]): void;
      workers?: number;
      /** The folder's walk, when the caller has just made it (the folder is walked once per opening). */
      walked?: WalkResult;
    } = {},
  ): Promise<IndexSummary> {
    // The workers run the song CNN where this process can: the id says whether songs get it.
    const analyser = musicAnalyserId((await songCnn()) !== null);
    const workers: { pool: SongWorkerPool | null } = { pool: null };
    try {
      return await indexMusicFolder(path.resolve(folder), {
        songs: this.songs,
        analyser,
        concurrency: hooks.workers ?? SongWorkerPool.defaultSize(),
        analyse: (file) => (workers.pool ??= new SongWorkerPool(this.thumbsDir, hooks.workers)).analyse(file),
        signal: hooks.signal,
        onSong: hooks.onSong,
        onRemoved: hooks.onRemoved,
        onProgress: (clock, current) => hooks.onProgress?.(clock.done, clock.total, clock.failed, clock.etaMs, current),
      }, hooks.walked);
    } finally {
      await workers.pool?.close();
    }
  }

  async listSongs(req: { folder: string }): Promise<Song[]> {
    const folder = path.resolve(req.folder);
    const corrections = this.corrections.under(folder);
    return this.songs.listUnder(folder).map((r) => withSongCorrection(toSong(r, folder), corrections.get(r.path)));
  }

  async exportPlaylist(req: Omit<ApiExportRequest, 'overwrite'> & { overwrite: boolean; target: string }): Promise<ExportOutcome> {
    const items = playlistItems(await this.listPortraits({ folder: req.portraitFolder }), await this.listSongs({ folder: req.musicFolder }), req.spec);
    try {
      const r = await writeExport(req.target, { mode: req.spec.mode, items, thumbsDir: this.thumbsDir }, { copyMedia: req.copyMedia, overwrite: req.overwrite });
      return { status: 'written', folder: r.targetDir, files: r.files, pairs: r.pairs, unmatched: r.unmatched };
    } catch (err) {
      if (err instanceof ExportError && err.code === 'exists') return { status: 'exists', folder: req.target };
      if (err instanceof ExportError) throw new EngineError('invalid-argument', err.message);
      throw err;
    }
  }

  /** Waits until every queued analysis has finished (tests and the CLI use it). */
  async idle(): Promise<void> {
    for (;;) {
      await this.queueIdle();
      const q = this.queue;
      await this.live?.idle();
      // A re-scan may have queued a job: idle means neither is left.
      if (q === this.queue && !this.live?.busy) return;
    }
  }

  /** Resolves once the job queue is empty, jobs queued meanwhile included. */
  private async queueIdle(): Promise<void> {
    for (let q = this.queue; ; q = this.queue) {
      await q;
      if (q === this.queue) return;
    }
  }

  /** Stops following the open folders (close() does it too, without waiting). */
  async stopWatching(): Promise<void> {
    await this.live?.close();
  }

  async listPortraits(req: { folder: string }): Promise<Portrait[]> {
    const folder = path.resolve(req.folder);
    const corrections = this.corrections.under(folder);
    return this.portraits.listUnder(folder).map((r) => withFaceCorrections(toPortrait(r, folder), corrections.get(r.path)));
  }

  async getPortrait(req: { id: number }): Promise<Portrait> {
    const row = this.portraits.getById(req.id);
    if (!row) throw new EngineError('not-found', `No portrait with id ${req.id}.`);
    return this.portraitOut(row, this.folderOf(row.path));
  }

  private folderOf(file: string): string {
    return this.folders.listRecent(1000).find((f) => file.startsWith(f.path + path.sep))?.path ?? path.dirname(file);
  }

  /** Rows leave the engine with the person's readings applied, so every view and the export agree. */
  private portraitOut(row: PortraitRow, folder: string): Portrait {
    return withFaceCorrections(toPortrait(row, folder), this.corrections.of(row.path));
  }

  private songOut(row: SongRow, folder: string): Song {
    return withSongCorrection(toSong(row, folder), this.corrections.of(row.path));
  }

  async getSong(req: { id: number }): Promise<Song> {
    const row = this.songs.getById(req.id);
    if (!row) throw new EngineError('not-found', `No song with id ${req.id}.`);
    return this.songOut(row, this.folderOf(row.path));
  }

  async correctFace(req: { portraitId: number; faceIndex: number; reading: CorrectionInput }): Promise<Portrait> {
    const row = this.portraits.getById(req.portraitId);
    if (!row) throw new EngineError('not-found', `No portrait with id ${req.portraitId}.`);
    const face = toPortrait(row, path.dirname(row.path)).faces[req.faceIndex];
    if (!face) throw new EngineError('invalid-argument', `Portrait ${req.portraitId} has no face ${req.faceIndex + 1}.`);
    // Any of the five, calm included: the face model has no calm class, but a person may see one.
    this.corrections.setFace(row.path, face.box, req.reading && personPoint(req.reading, NEUTRAL_RADIUS));
    return this.getPortrait({ id: req.portraitId });
  }

  async correctSong(req: { songId: number; reading: CorrectionInput }): Promise<Song> {
    const row = this.songs.getById(req.songId);
    if (!row) throw new EngineError('not-found', `No song with id ${req.songId}.`);
    if (row.error) throw new EngineError('invalid-argument', 'This song could not be analysed, so it has no reading to correct.');
    const point = req.reading && personPoint(req.reading, 0);
    // Songs have no neutral class: a point at the very centre still needs a corner.
    if (point && !(MUSIC_QUADRANTS as readonly string[]).includes(point.quadrant)) throw new EngineError('invalid-argument', 'A song reads as one of the four quadrants, not neutral.');
    this.corrections.setSong(row.path, point);
    return this.getSong({ id: req.songId });
  }

  async cancelJob(req: { jobId: string }): Promise<{ cancelled: boolean }> {
    const job = this.jobs.get(req.jobId);
    if (!job) return { cancelled: false };
    job.abort();
    return { cancelled: true };
  }

  /** For the CLI: analyse files (using the catalog as a cache) and hand back each result in order. */
  async analyseFiles(files: string[], onResult: (row: ReturnType<PortraitsTable['get']> & object, analysed: boolean) => void, signal?: AbortSignal): Promise<void> {
    await this.faceRuntimeInfo();
    const analyser = this.openPortraitAnalyser(files.length);
    try {
      await analyseInOrder(files, this.deps(), analyser, { signal, onResult: (_file, row, analysed) => onResult(row, analysed) });
    } finally {
      await analyser.close();
    }
  }

  close(): void {
    this.live?.close().catch(() => undefined);
    for (const c of this.jobs.values()) c.abort();
    this.db.close();
  }
}
