/**
 * Brings the catalog's songs up to date with a music folder: new and changed files are
 * analysed (in worker threads), unchanged ones are only stat'ed, moved ones keep their
 * analysis (recognised by content), removed ones are pruned. Each finished file is committed
 * on its own, so a crash or kill loses at most the files in flight and the next run resumes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SkippedFile } from '../../../shared/api.ts';
import type { SongRow, SongsTable } from '../catalog/songs-table.ts';
import { sampledHash } from '../scan/sampled-hash.ts';
import { walkFiles, type WalkResult } from '../scan/walk-files.ts';
import { missingRows } from '../scan/missing-rows.ts';
import { ProgressClock } from '../jobs/progress-clock.ts';
import type { SongAnalysis } from './analyse-song.ts';
import { timelineToJson } from '../catalog/timeline-json.ts';

export const AUDIO_EXTENSIONS = new Set([
  '.mp3', '.ogg', '.oga', '.opus', '.flac', '.wav', '.wave', '.m4a', '.m4b', '.mp4', '.aac', '.aif', '.aiff', '.webm', '.weba', '.caf', '.wma', '.ape', '.wv', '.mka', '.spx',
]);
/** What the usual non-audio companions of a music folder are, so a skipped file says what it is. */
const NOT_AUDIO: readonly [RegExp, string][] = [
  [/^\.(jpe?g|png|gif|webp|bmp)$/, 'an image'],
  [/^\.(txt|nfo|pdf|log|md|ini)$/, 'a text or document file'],
  [/^\.(cue|m3u8?|pls)$/, 'a playlist or cue sheet'],
  [/^\.(csv|json|xml|db)$/, 'a data file'],
];

/** Errors from the indexer itself (a worker crash), as opposed to errors of the file. */
export const TRANSIENT_ERROR = /^The audio decoder crashed/;

export const isAudioFile = (file: string): boolean => AUDIO_EXTENSIONS.has(path.extname(file).toLowerCase());

export function skipReason(file: string): string {
  const ext = path.extname(file).toLowerCase();
  if (!ext) return 'Not an audio file (no file extension)';
  const kind = NOT_AUDIO.find(([re]) => re.test(ext))?.[1];
  if (kind) return `Not an audio file (${ext}: ${kind})`;
  return `Not an audio file Portrait Songs reads (${ext})`;
}

export interface IndexDeps {
  songs: SongsTable;
  analyse(file: string): Promise<SongAnalysis>;
  /** Identifies the music model; a change re-analyses every song. */
  analyser: string;
  /** Files analysed at once: the number of workers behind `analyse`. */
  concurrency: number;
  signal?: AbortSignal;
  onProgress?(clock: ProgressClock, current: string | null): void;
  onSong?(row: SongRow, analysed: boolean): void;
  onRemoved?(ids: number[]): void;
}

export interface IndexSummary {
  audioFiles: number;
  analysed: number;
  unchanged: number;
  moved: number;
  removed: number;
  failed: number;
  cancelled: boolean;
  skipped: SkippedFile[];
  elapsedMs: number;
}

/** Decides, from the catalog and a stat, what each audio file needs. Cheap: no audio is read. */
async function plan(files: string[], deps: IndexDeps) {
  const todo: { file: string; size: number; mtimeMs: number; hash: string }[] = [];
  const current: SongRow[] = [];
  let moved = 0;
  const problems: SkippedFile[] = [];
  for (const file of files) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (err) {
      // Gone since the walk (the walk may be a while old when the job starts): pruned below.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      problems.push({ path: file, reason: `Cannot read this file (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    const row = deps.songs.get(file);
    // A crashed decoder says nothing about the file: try it again rather than keep the failure.
    const transient = !!row?.error && TRANSIENT_ERROR.test(row.error);
    if (row && !transient && row.size === stat.size && row.mtime_ms === stat.mtimeMs && row.analyser === deps.analyser) {
      current.push(row);
      continue;
    }
    let hash: string;
    try {
      hash = await sampledHash(file, stat.size);
    } catch (err) {
      problems.push({ path: file, reason: `Cannot read this file (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    if (row && !transient && row.hash === hash && row.analyser === deps.analyser) {
      deps.songs.updateStat(row.id, stat.size, stat.mtimeMs);
      current.push(deps.songs.getById(row.id)!);
      continue;
    }
    const twin = deps.songs.withHash(hash).find((r) => r.analyser === deps.analyser && r.path !== file && !fs.existsSync(r.path));
    if (twin && !row) {
      deps.songs.move(twin.id, file, stat.size, stat.mtimeMs);
      current.push(deps.songs.getById(twin.id)!);
      moved++;
      continue;
    }
    todo.push({ file, size: stat.size, mtimeMs: stat.mtimeMs, hash });
  }
  return { todo, current, moved, problems };
}

/** `walked`: the folder's walk, when the caller has just made it, so the folder is not walked twice. */
export async function indexMusicFolder(folder: string, deps: IndexDeps, walked?: WalkResult): Promise<IndexSummary> {
  const started = performance.now();
  const { files: audio, others, problems: unreadable } = walked ?? (await walkFiles([folder], isAudioFile));
  const skipped: SkippedFile[] = [...unreadable, ...others.map((f) => ({ path: f, reason: skipReason(f) }))];
  const { todo, current, moved, problems } = await plan(audio, deps);
  skipped.push(...problems);
  for (const row of current) deps.onSong?.(row, false);

  const gone = missingRows(deps.songs.listUnder(folder), [...todo.map((t) => t.file), ...current.map((r) => r.path)]);
  for (const r of gone) deps.songs.delete(r.id);
  if (gone.length) deps.onRemoved?.(gone.map((r) => r.id));

  const clock = new ProgressClock(todo.length);
  let failed = 0;
  deps.onProgress?.(clock, null);
  let next = 0;
  const runner = async (): Promise<void> => {
    while (!deps.signal?.aborted && next < todo.length) {
      const t = todo[next++]!;
      let result: SongAnalysis;
      try {
        result = await deps.analyse(t.file);
      } catch (err) {
        result = { title: path.parse(t.file).name, artist: null, album: null, duration: null, cover: null, quadrant: null, probs: null, valence: null, arousal: null, error: (err as Error).message, timeline: null };
      }
      const { probs, timeline, ...rest } = result;
      const row = deps.songs.save({
        path: t.file, size: t.size, mtime_ms: t.mtimeMs, hash: t.hash, analyser: deps.analyser, ...rest,
        probs_json: probs ? JSON.stringify(probs) : null, timeline_json: timelineToJson(timeline),
      });
      if (row.error) failed++;
      clock.tick(!!row.error);
      deps.onSong?.(row, true);
      deps.onProgress?.(clock, path.relative(folder, t.file));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, deps.concurrency) }, runner));
  return {
    audioFiles: audio.length,
    analysed: clock.done,
    unchanged: current.length - moved,
    moved,
    removed: gone.length,
    failed,
    cancelled: !!deps.signal?.aborted,
    skipped,
    elapsedMs: Math.round(performance.now() - started),
  };
}
