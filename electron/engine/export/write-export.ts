/**
 * Writes an export of portrait–song pairs into the folder the person picked: pairs.csv,
 * pairs.json, playlist.m3u8, index.html and, with copyMedia, the media themselves. The format
 * is described in FORMAT.md.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { APP_VERSION } from '../version.ts';
import { writeFolderAtomically, existsError, inspectTarget } from './atomic-folder.ts';
import { copyMedia } from './copy-media.ts';
import { contactSheetCard, contactSheetHead, contactSheetTail, type SheetMeta } from './contact-sheet.ts';
import { buildRows, type ExportRow, type PairRow } from './export-rows.ts';
import { planMedia } from './media-plan.ts';
import { pairsCsvLines } from './pairs-csv.ts';
import { pairsDocument, pairsJsonPieces } from './pairs-json.ts';
import { playlistM3u8 } from './playlist-m3u8.ts';
import { resolveInside } from './safe-name.ts';
import { thumbnailDataUri } from './thumbnail-data-uri.ts';
import { writeStreamed } from './write-streamed.ts';
import { ExportError, type ExportOptions, type ExportRequest, type ExportResult } from './types.ts';

export * from './types.ts';

export const EXPORT_FILES = { csv: 'pairs.csv', json: 'pairs.json', playlist: 'playlist.m3u8', sheet: 'index.html' } as const;

const realOrSelf = (p: string): Promise<string> => fs.realpath(p).catch(() => path.resolve(p));

/**
 * Replacing a folder deletes what was in it; refuse when that would take the person's own
 * portraits, songs or the thumbnail cache with it (say, the music folder picked by mistake).
 */
async function assertHoldsNoSources(target: string, req: ExportRequest): Promise<void> {
  const root = (await realOrSelf(target)) + path.sep;
  const sources = [req.thumbsDir, ...req.items.flatMap((i) => (i.song ? [i.portrait.path, i.song.path] : [i.portrait.path]))];
  for (const source of new Set(sources)) {
    const real = (await realOrSelf(source)) + path.sep;
    if (real.startsWith(root)) throw new ExportError('unsafe-target', `Refusing to replace ${target}: it contains ${source}, which the export reads. Choose another folder.`);
  }
}

/**
 * index.html, streamed: each card is written with its thumbnail, read just then. Held whole, a
 * 20,000-portrait sheet is about 400 MB of text (thumbnails inline), near V8's longest string
 * and far past the engine's memory goal; streamed, a few cards and the stream's buffer are in
 * memory.
 */
function* sheetPieces(req: ExportRequest, rows: readonly ExportRow[], meta: SheetMeta): Generator<string> {
  yield contactSheetHead(rows, meta);
  for (const [i, r] of rows.entries()) yield (i > 0 ? '\n' : '') + contactSheetCard(r, thumbnailDataUri(req.thumbsDir, r.item.portrait.thumb));
  yield contactSheetTail(meta);
}

export async function writeExport(targetDir: string, req: ExportRequest, opts: ExportOptions): Promise<ExportResult> {
  const target = path.resolve(targetDir);
  const createdAt = req.createdAt ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(createdAt))) throw new ExportError('invalid-request', `createdAt "${createdAt}" is not an ISO 8601 date.`);
  // Fail before any work when the answer is already known.
  const state = await inspectTarget(target);
  if (state === 'non-empty' && !opts.overwrite) throw existsError(target);
  if (state === 'non-empty') await assertHoldsNoSources(target, req);

  const media = planMedia(target, req.items, opts.copyMedia);
  const rows = buildRows(req, media);
  const pairs = rows.filter((r): r is PairRow => r.kind === 'pair');

  const files: string[] = [];
  await writeFolderAtomically(target, opts.overwrite, async (dir) => {
    const write = async (rel: string, pieces: Iterable<string>) => {
      await writeStreamed(resolveInside(dir, rel), pieces);
      files.push(rel);
    };
    const texts = async () => {
      await write(EXPORT_FILES.csv, pairsCsvLines(rows, req.mode));
      await write(EXPORT_FILES.json, pairsJsonPieces(pairsDocument(rows, { createdAt, mode: req.mode, mediaCopied: opts.copyMedia })));
      await write(EXPORT_FILES.playlist, [playlistM3u8(pairs, `Portrait Songs (${req.mode})`)]);
      await write(EXPORT_FILES.sheet, sheetPieces(req, rows, { mode: req.mode, createdAt, appVersion: APP_VERSION }));
    };
    // The copies wait on the disk, the text files on the engine's thread (the sheet reads and
    // encodes every thumbnail): side by side, an archive's export takes the longer of the two,
    // not their sum. Both end before the folder is kept or discarded.
    const settled = await Promise.allSettled([copyMedia(dir, media.copies), texts()]);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    // A loop, not push(...): an archive's copies can outnumber the arguments a call may take.
    for (const copy of media.copies) files.push(copy.to);
  });
  return { targetDir: target, files: files.sort(), pairs: pairs.length, unmatched: rows.length - pairs.length, copiedMedia: media.copies.length };
}
