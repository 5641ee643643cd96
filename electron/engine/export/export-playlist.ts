/** The app's export: the playlist the renderer shows, computed again here from the catalog, written as one folder. */
import type { ExportOutcome, ExportRequest, Portrait, Song } from '../../../shared/api.ts';
import { EngineError } from '../engine-error.ts';
import { ExportError, writeExport } from './write-export.ts';
import { playlistItems } from './playlist-items.ts';

/** Trusted: `target` is a folder the person picked in the export dialog. */
export type TrustedExportRequest = Omit<ExportRequest, 'overwrite'> & { overwrite: boolean; target: string };

export async function exportPlaylist(req: TrustedExportRequest, portraits: Portrait[], songs: Song[], thumbsDir: string): Promise<ExportOutcome> {
  const items = playlistItems(portraits, songs, req.spec);
  try {
    const r = await writeExport(req.target, { mode: req.spec.mode, items, thumbsDir }, { copyMedia: req.copyMedia, overwrite: req.overwrite });
    return { status: 'written', folder: r.targetDir, files: r.files, pairs: r.pairs, unmatched: r.unmatched };
  } catch (err) {
    if (err instanceof ExportError && err.code === 'exists') return { status: 'exists', folder: req.target };
    if (err instanceof ExportError) throw new EngineError('invalid-argument', err.message);
    throw err;
  }
}
