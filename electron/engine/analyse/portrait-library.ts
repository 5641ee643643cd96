/**
 * Brings the catalog up to date for a set of image files: unchanged files (same size and
 * mtime, or same bytes) are never analysed twice, and every failure is stored with its reason.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FaceClassifier } from '../types.ts';
import type { PortraitRow, PortraitsTable } from '../catalog/portraits-table.ts';
import { makeThumbnail } from '../decode/image.ts';
import { analyseImage } from './analyse-portrait.ts';
import type { DetectPreset } from './analyse-portrait.ts';

export const THUMB_SIDE = 360;

export interface LibraryDeps {
  portraits: PortraitsTable;
  classifier: FaceClassifier;
  detect: DetectPreset;
  thumbsDir: string;
  /** Identifies the detector and classifier; a change re-analyses everything. */
  analyser: string;
}

function describeFsError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return 'Permission denied: Portrait Songs may not read this file';
    case 'ENOENT':
      return 'The file disappeared while it was being read';
    case 'ELOOP':
      return 'The file is a symbolic link that loops';
    case 'EISDIR':
      return 'This is a folder, not an image';
    default:
      return err.message;
  }
}

/** True when the catalog already holds a current analysis of `file`. */
export function isUpToDate(row: PortraitRow | undefined, stat: fs.Stats, analyser: string): boolean {
  return !!row && row.size === stat.size && row.mtime_ms === stat.mtimeMs && row.analyser === analyser;
}

export async function ensureAnalysed(file: string, deps: LibraryDeps): Promise<{ row: PortraitRow; analysed: boolean }> {
  const existing = deps.portraits.get(file);
  let stat: fs.Stats;
  let bytes: Buffer;
  try {
    stat = await fs.promises.stat(file);
    if (isUpToDate(existing, stat, deps.analyser)) return { row: existing!, analysed: false };
    bytes = await fs.promises.readFile(file);
  } catch (err) {
    const message = describeFsError(err as NodeJS.ErrnoException);
    deps.portraits.save({
      path: file, size: 0, mtime_ms: 0, hash: '', analyser: deps.analyser, width: null, height: null,
      faces: [], quadrant: null, valence: null, arousal: null, error: message, thumb: null,
    });
    return { row: deps.portraits.get(file)!, analysed: true };
  }
  const hash = crypto.createHash('sha256').update(bytes).digest('hex');
  if (existing && existing.hash === hash && existing.analyser === deps.analyser) {
    deps.portraits.updateStat(file, stat.size, stat.mtimeMs);
    return { row: deps.portraits.get(file)!, analysed: false };
  }
  const twin = deps.portraits.findByHash(hash, deps.analyser);
  if (twin) {
    deps.portraits.save({ ...twin, path: file, size: stat.size, mtime_ms: stat.mtimeMs, faces: JSON.parse(twin.faces_json) });
    return { row: deps.portraits.get(file)!, analysed: false };
  }
  const base = { path: file, size: stat.size, mtime_ms: stat.mtimeMs, hash, analyser: deps.analyser };
  try {
    const result = await analyseImage(bytes, deps.classifier, deps.detect);
    const thumb = `${hash.slice(0, 40)}.jpg`;
    const thumbPath = path.join(deps.thumbsDir, thumb);
    if (!fs.existsSync(thumbPath)) {
      const tmp = `${thumbPath}.${process.pid}.tmp`;
      await fs.promises.writeFile(tmp, await makeThumbnail(bytes, THUMB_SIDE));
      await fs.promises.rename(tmp, thumbPath);
    }
    deps.portraits.save({ ...base, ...result, error: null, thumb });
  } catch (err) {
    deps.portraits.save({
      ...base, width: null, height: null, faces: [], quadrant: null, valence: null, arousal: null,
      error: (err as Error).message || 'Analysis failed', thumb: null,
    });
  }
  return { row: deps.portraits.get(file)!, analysed: true };
}
