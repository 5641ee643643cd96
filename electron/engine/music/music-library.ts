/**
 * The music side of the engine: indexing a music folder as one job (the CLI calls the same
 * indexer directly) and handing songs out with the person's readings applied.
 */
import path from 'node:path';
import type { CorrectionInput, FolderOpened, Song } from '../../../shared/api.ts';
import { MUSIC_QUADRANTS, personPoint } from '../../../shared/emotion.ts';
import { toSong, type SongRow } from '../catalog/songs-table.ts';
import { withSongCorrection } from '../catalog/corrections-table.ts';
import { walkFiles, type WalkResult } from '../scan/walk-files.ts';
import { EngineError } from '../engine-error.ts';
import type { EngineContext } from '../engine-context.ts';
import { indexMusicFolder, isAudioFile, skipReason, type IndexSummary } from './index-music-folder.ts';
import { SongWorkerPool } from './worker-pool.ts';
import { musicAnalyserId } from './model-id.ts';
import { defaultMusicModel } from './model.ts';
import { loadOrt } from '../ml/onnx-runtime.ts';
import { onnxExecutionProvider } from '../ml/execution-provider.ts';

/**
 * The execution provider for the song workers, chosen (and checked) here once so that every
 * worker uses the same; null when the song model reads no network or nothing could be chosen
 * (then a worker that needs one chooses, and fails, by itself).
 */
async function songWorkersOnnxProvider(): Promise<string | null> {
  try {
    if (!defaultMusicModel().musicnnNets.length) return null;
    return (await onnxExecutionProvider(loadOrt)).name;
  } catch {
    return null;
  }
}

export interface IndexHooks {
  signal?: AbortSignal;
  onSong?(row: SongRow, analysed: boolean): void;
  onProgress?(done: number, total: number, failed: number, etaMs: number | null, current: string | null): void;
  onRemoved?(ids: number[]): void;
  workers?: number;
  /** The folder's walk, when the caller has just made it (the folder is walked once per opening). */
  walked?: WalkResult;
}

export class MusicLibrary {
  constructor(private readonly ctx: EngineContext) {}

  /** Walks a music folder and queues its indexing; the indexer itself skips what is unchanged. */
  async scan(folder: string): Promise<FolderOpened> {
    const { emit } = this.ctx;
    const walked = await walkFiles([folder], isAudioFile);
    const { files, others, problems } = walked;
    const jobId = this.ctx.jobs.start('index-music', folder, files.length, async (id, signal) => {
      const base = { jobId: id, kind: 'index-music' as const, folder };
      try {
        const summary = await this.index(folder, {
          signal,
          walked,
          onSong: (row, analysed) => {
            if (analysed) emit({ type: 'song-indexed', song: this.out(row, folder) });
          },
          onProgress: (done, total, failed, etaMs, current) => emit({ type: 'job-progress', ...base, done, total, failed, etaMs, current }),
          onRemoved: (ids) => emit({ type: 'songs-removed', folder, ids }),
        });
        emit({ type: 'job-finished', ...base, done: summary.analysed, failed: summary.failed, cancelled: summary.cancelled, elapsedMs: summary.elapsedMs, skipped: summary.skipped });
      } catch (err) {
        emit({ type: 'job-failed', ...base, message: (err as Error).message });
      }
    });
    return { folder, kind: 'music', jobId, total: files.length, skipped: [...problems, ...others.map((f) => ({ path: f, reason: skipReason(f) }))] };
  }

  /** Indexes a music folder with one worker per core (the app's job and the CLI share it). */
  async index(folder: string, hooks: IndexHooks = {}): Promise<IndexSummary> {
    const analyser = musicAnalyserId();
    const workers: { pool: Promise<SongWorkerPool> | null } = { pool: null };
    const startPool = async () => new SongWorkerPool(this.ctx.thumbsDir, hooks.workers, await songWorkersOnnxProvider());
    try {
      return await indexMusicFolder(path.resolve(folder), {
        songs: this.ctx.songs,
        analyser,
        concurrency: hooks.workers ?? SongWorkerPool.defaultSize(),
        analyse: (file) => (workers.pool ??= startPool()).then((pool) => pool.analyse(file)),
        signal: hooks.signal,
        onSong: hooks.onSong,
        onRemoved: hooks.onRemoved,
        onProgress: (clock, current) => hooks.onProgress?.(clock.done, clock.total, clock.failed, clock.etaMs, current),
      }, hooks.walked);
    } finally {
      await workers.pool?.then((pool) => pool.close(), () => undefined);
    }
  }

  list(folder: string): Song[] {
    const corrections = this.ctx.corrections.under(folder);
    return this.ctx.songs.listUnder(folder).map((r) => withSongCorrection(toSong(r, folder), corrections.get(r.path)));
  }

  get(id: number): Song {
    const row = this.ctx.songs.getById(id);
    if (!row) throw new EngineError('not-found', `No song with id ${id}.`);
    return this.out(row, this.ctx.folderOf(row.path));
  }

  correct(songId: number, reading: CorrectionInput): Song {
    const row = this.ctx.songs.getById(songId);
    if (!row) throw new EngineError('not-found', `No song with id ${songId}.`);
    if (row.error) throw new EngineError('invalid-argument', 'This song could not be analysed, so it has no reading to correct.');
    const point = reading && personPoint(reading, 0);
    // Songs have no neutral class: a point at the very centre still needs a corner.
    if (point && !(MUSIC_QUADRANTS as readonly string[]).includes(point.quadrant)) throw new EngineError('invalid-argument', 'A song reads as one of the four quadrants, not neutral.');
    this.ctx.corrections.setSong(row.path, point);
    return this.get(songId);
  }

  private out(row: SongRow, folder: string): Song {
    return withSongCorrection(toSong(row, folder), this.ctx.corrections.of(row.path));
  }
}
