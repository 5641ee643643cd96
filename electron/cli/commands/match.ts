/**
 * `portrait-songs match ART_FOLDER MUSIC_FOLDER --out DIR [--mode match|lift|calm]
 *   [--order gallery|arc] [--start stretch|beginning] [--copy-media] [--overwrite] [--db FILE] [--json]`
 *
 * The whole export flow without the app: bring the portrait catalog and the music index up to
 * date, build the playlist with the same matcher the app uses, and write the export folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../../engine/engine.ts';
import { defaultDataDir } from '../../engine/data-dir.ts';
import { isImageFile, walkFiles } from '../../engine/scan/walk-files.ts';
import { toPortrait } from '../../engine/catalog/portraits-table.ts';
import { ProgressClock } from '../../engine/jobs/progress-clock.ts';
import { writeExport, ExportError } from '../../engine/export/write-export.ts';
import { defaultSpec, MATCH_MODES, PLAYLIST_ORDERS, START_AT, type MatchMode, type PlaylistOrder } from '../../../shared/match.ts';
import { playlistItems } from '../../engine/export/playlist-items.ts';
import type { Portrait } from '../../../shared/api.ts';
import { ProgressBar } from '../terminal.ts';
import { UsageError, type CliIo, type Command } from './command.ts';

export interface MatchSummary {
  out: string;
  mode: MatchMode;
  order: PlaylistOrder;
  portraits: number;
  songs: number;
  pairs: number;
  /** Matched songs whose quadrant is the target quadrant (the face's own in mode match; Q4 for a neutral face). */
  inTargetQuadrant: number;
  /** Matched songs whose quadrant is the representing face's quadrant. */
  sameAsFaceQuadrant: number;
  unmatched: { portrait: string; reason: string }[];
  files: string[];
  copiedMedia: number;
  elapsedMs: number;
}

const isInside = (child: string, parent: string) => child === parent || child.startsWith(parent + path.sep);

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

function requireFolder(label: string, folder: string): void {
  let ok = false;
  try {
    ok = fs.statSync(folder).isDirectory();
  } catch {
    // reported below
  }
  if (!ok) throw new Error(`The ${label} folder ${folder} does not exist or is not a folder.`);
}

/** What the matcher needs from the catalog's records, and nothing more. */

function printSummary(io: CliIo, s: MatchSummary): void {
  io.out(`Exported ${s.pairs} portrait–song pairs to ${s.out} in ${(s.elapsedMs / 1000).toFixed(1)} s (mode ${s.mode}, order ${s.order}).`);
  io.out(`${s.portraits} portraits, ${s.songs} songs in the library.`);
  if (s.pairs) {
    io.out(`${s.inTargetQuadrant} of ${s.pairs} songs are in their target quadrant; ${s.sameAsFaceQuadrant} share the face's own quadrant.`);
  }
  if (s.unmatched.length) {
    io.out(`${s.unmatched.length} portraits without a song:`);
    for (const u of s.unmatched) io.out(`  ${u.portrait}: ${u.reason}`);
  }
  if (s.copiedMedia) io.out(`${s.copiedMedia} media files copied into ${path.join(s.out, 'media')}.`);
  io.out(`Open ${path.join(s.out, 'index.html')} to see the contact sheet.`);
}

export const match: Command = {
  name: 'match',
  // Short, because the help list pads every command's usage to the longest one.
  usage: 'match ART_FOLDER MUSIC_FOLDER --out DIR [options]',
  summary:
    'Match each portrait with a song and export the pairs ' +
    '(options: --mode match|lift|calm, --order gallery|arc, --start stretch|beginning, --copy-media, --overwrite, --db FILE, --json)',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        mode: { type: 'string', default: 'match' },
        order: { type: 'string', default: 'gallery' },
        start: { type: 'string', default: 'stretch' },
        'copy-media': { type: 'boolean', default: false },
        overwrite: { type: 'boolean', default: false },
        db: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 2) throw new UsageError('match needs the portrait folder and the music folder');
    if (!values.out) throw new UsageError('match needs --out DIR, the folder to export into');
    const mode = oneOf('--mode', values.mode!, MATCH_MODES);
    const order = oneOf('--order', values.order!, PLAYLIST_ORDERS);
    const startAt = oneOf('--start', values.start!, START_AT);
    const artFolder = path.resolve(positionals[0]!);
    const musicFolder = path.resolve(positionals[1]!);
    const out = path.resolve(values.out);
    // The next scan of either folder would pick the export's copies up as part of the library.
    for (const [label, folder] of [['portrait', artFolder], ['music', musicFolder]] as const) {
      if (isInside(out, folder)) throw new UsageError(`--out must not be inside the ${label} folder (${folder}); choose a folder elsewhere`);
    }
    requireFolder('portrait', artFolder);
    requireFolder('music', musicFolder);
    // Known before any analysis: say so now rather than after minutes of work.
    if (!values.overwrite && fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length > 0)) {
      io.err(`error: ${out} already exists and is not empty. Choose another --out folder, or add --overwrite to replace it.`);
      return 1;
    }

    const started = performance.now();
    const dbFile = values.db ? path.resolve(values.db) : undefined;
    const engine = new Engine({ dataDir: dbFile ? path.dirname(dbFile) : defaultDataDir(), dbFile });
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    const bar = new ProgressBar(process.stderr, '');
    try {
      const { files, problems } = await walkFiles([artFolder], isImageFile);
      for (const p of problems) io.err(`warning: ${p.path}: ${p.reason}`);
      const clock = new ProgressClock(files.length);
      const portraits: Portrait[] = [];
      await engine.analyseFiles(files, (row) => {
        clock.tick(!!row.error);
        portraits.push(toPortrait(row, artFolder));
        if (!values.json) bar.update(clock.done, clock.total, clock.etaMs, `Portraits ${path.basename(row.path)}`);
      });
      bar.done();
      const indexed = await engine.indexMusic(musicFolder, {
        signal: controller.signal,
        onProgress: (done, total, _failed, etaMs, current) => {
          if (!values.json) bar.update(done, total, etaMs, `Music ${current ?? ''}`);
        },
      });
      bar.done();
      if (indexed.cancelled) {
        io.err('Stopped before the end; nothing was exported. Run the same command again to resume.');
        return 130;
      }
      const songs = await engine.listSongs({ folder: musicFolder });

      const items = playlistItems(portraits, songs, { ...defaultSpec(), mode, order, startAt });
      const result = await writeExport(out, { mode, items, thumbsDir: engine.thumbsDir }, { copyMedia: values['copy-media']!, overwrite: values.overwrite! });

      const matched = items.filter((i) => i.song);
      const summary: MatchSummary = {
        out,
        mode,
        order,
        portraits: portraits.length,
        songs: songs.length,
        pairs: result.pairs,
        inTargetQuadrant: matched.filter((i) => i.song!.quadrant === i.entry.targetQuadrant).length,
        sameAsFaceQuadrant: matched.filter((i) => i.song!.quadrant === i.entry.faceQuadrant).length,
        unmatched: items.filter((i) => !i.song).map((i) => ({ portrait: i.portrait.name, reason: i.portrait.error ? `The image could not be analysed: ${i.portrait.error}` : i.entry.reason })),
        files: result.files,
        copiedMedia: result.copiedMedia,
        elapsedMs: Math.round(performance.now() - started),
      };
      if (values.json) io.out(JSON.stringify(summary));
      else printSummary(io, summary);
      return 0;
    } catch (err) {
      if (err instanceof ExportError) {
        io.err(`error: ${err.message}`);
        return 1;
      }
      throw err;
    } finally {
      process.off('SIGINT', stop);
      bar.done();
      engine.close();
    }
  },
};
