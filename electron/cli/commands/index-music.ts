/** `portrait-songs index-music FOLDER [--json] [--db FILE] [--workers N]` */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../../engine/engine.ts';
import { defaultDataDir } from '../../engine/data-dir.ts';
import type { SongRow } from '../../engine/catalog/songs-table.ts';
import { parseTimeline } from '../../engine/catalog/timeline-json.ts';
import type { SongTimeline } from '../../../shared/api.ts';
import { ProgressBar } from '../terminal.ts';
import { UsageError, type Command } from './command.ts';

export interface SongLine {
  file: string;
  title: string | null;
  artist: string | null;
  album: string | null;
  duration: number | null;
  quadrant: string | null;
  probs: Record<string, number> | null;
  valence: number | null;
  arousal: number | null;
  /** The song's reading per 3-s patch (seconds into the track), as the app keeps it. */
  timeline: SongTimeline | null;
  error?: string;
}

export function toSongLine(row: SongRow): SongLine {
  const line: SongLine = {
    file: row.path,
    title: row.title,
    artist: row.artist,
    album: row.album,
    duration: row.duration,
    quadrant: row.quadrant,
    probs: row.probs_json ? (JSON.parse(row.probs_json) as Record<string, number>) : null,
    valence: row.valence,
    arousal: row.arousal,
    timeline: parseTimeline(row.timeline_json),
  };
  if (row.error) line.error = row.error;
  return line;
}

export const indexMusic: Command = {
  name: 'index-music',
  usage: 'index-music FOLDER [--json] [--db FILE] [--workers N]',
  summary: 'Index a music folder (recursively): tags, and each song\'s emotion quadrant and V/A point',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false }, db: { type: 'string' }, workers: { type: 'string' } },
    });
    if (positionals.length !== 1) throw new UsageError('index-music needs exactly one folder');
    const workers = values.workers === undefined ? undefined : Number(values.workers);
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) throw new UsageError('--workers must be a whole number from 1 to 64');
    const folder = path.resolve(positionals[0]!);
    const dbFile = values.db ? path.resolve(values.db) : undefined;
    const engine = new Engine({ dataDir: dbFile ? path.dirname(dbFile) : defaultDataDir(), dbFile });
    const bar = new ProgressBar(process.stderr, 'Indexing ');
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    try {
      const summary = await engine.indexMusic(folder, {
        signal: controller.signal,
        workers,
        onSong: (row) => {
          if (values.json) io.out(JSON.stringify(toSongLine(row)));
        },
        onProgress: (done, total, _failed, etaMs, current) => {
          if (!values.json) bar.update(done, total, etaMs, current ?? '');
        },
      });
      bar.done();
      for (const s of summary.skipped) io.err(`skipped ${s.path}: ${s.reason}`);
      if (!values.json) {
        io.out(
          `${summary.audioFiles} audio files in ${(summary.elapsedMs / 1000).toFixed(1)} s: ${summary.analysed} analysed, ${summary.unchanged} unchanged, ` +
            `${summary.moved} moved, ${summary.removed} removed from the catalog, ${summary.failed} could not be decoded, ${summary.skipped.length} other files skipped.`,
        );
      }
      if (summary.cancelled) {
        io.err('Stopped before the end; run the same command again to resume.');
        return 130;
      }
      return 0;
    } finally {
      process.off('SIGINT', stop);
      bar.done();
      engine.close();
    }
  },
};
