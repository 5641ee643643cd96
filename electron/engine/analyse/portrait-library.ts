/**
 * Brings the catalog up to date for a set of image files: unchanged files (same size and
 * mtime, or same bytes) are never analysed twice, and every failure is stored with its reason.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DecodedImage, FaceClassifier } from '../types.ts';
import { parseMood, type PortraitRow, type PortraitStamp, type PortraitsTable } from '../catalog/portraits-table.ts';
import { threadId } from 'node:worker_threads';
import sharp from 'sharp';
import { analyseImagePixels, type DetectPreset, type ImageAnalysis } from './analyse-portrait.ts';

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
export function isUpToDate(row: PortraitStamp | undefined, stat: fs.Stats, analyser: string): boolean {
  return !!row && row.size === stat.size && row.mtime_ms === stat.mtimeMs && row.analyser === analyser;
}

/** What analysing one file's bytes yields for the catalog (computed in-process or in a worker). */
export interface AnalysedBytes {
  analysis: ImageAnalysis;
  thumb: string;
}

/**
 * A JPEG thumbnail from the pixels analysis already decoded (oriented, flattened, sRGB, ≤1024 px):
 * no second decode of the file, and baseline JPEG rather than mozjpeg, which took ~30 ms a
 * thumbnail here, a tenth of an image's whole analysis.
 */
export function thumbnailFromPixels(image: DecodedImage, side = THUMB_SIDE): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 82 })
    .toBuffer();
}

/** decode → detect → classify, plus the thumbnail (written once per content hash, atomically). */
export async function analyseBytes(bytes: Buffer, hash: string, classifier: FaceClassifier, detect: DetectPreset, thumbsDir: string): Promise<AnalysedBytes> {
  const { analysis, image } = await analyseImagePixels(bytes, classifier, detect);
  const thumb = `${hash.slice(0, 40)}.jpg`;
  const thumbPath = path.join(thumbsDir, thumb);
  if (!fs.existsSync(thumbPath)) {
    const tmp = `${thumbPath}.${process.pid}.${threadId}.tmp`;
    await fs.promises.writeFile(tmp, await thumbnailFromPixels(image));
    await fs.promises.rename(tmp, thumbPath);
  }
  return { analysis, thumb };
}

export type AnalysisOutcome = { ok: true; value: AnalysedBytes } | { ok: false; message: string };

/**
 * One file's way into the catalog, split so that the analysis can run elsewhere (a worker)
 * while the catalog is written here, in order: either the catalog already has it (`commit`
 * records what is known), or `bytes` must be analysed and `commit` stores the outcome.
 */
export type PreparedFile =
  | { file: string; bytes: null; commit(): { row: PortraitRow; analysed: boolean } }
  | { file: string; bytes: Buffer; hash: string; commit(outcome: AnalysisOutcome): { row: PortraitRow; analysed: true } };

export async function prepareFile(file: string, deps: Omit<LibraryDeps, 'classifier'>): Promise<PreparedFile> {
  const existing = deps.portraits.get(file);
  let stat: fs.Stats;
  let bytes: Buffer;
  try {
    stat = await fs.promises.stat(file);
    if (isUpToDate(existing, stat, deps.analyser)) return { file, bytes: null, commit: () => ({ row: existing!, analysed: false }) };
    bytes = await fs.promises.readFile(file);
  } catch (err) {
    const message = describeFsError(err as NodeJS.ErrnoException);
    return {
      file,
      bytes: null,
      commit: () => {
        deps.portraits.save({
          path: file, size: 0, mtime_ms: 0, hash: '', analyser: deps.analyser, width: null, height: null,
          faces: [], quadrant: null, valence: null, arousal: null, error: message, thumb: null,
        });
        return { row: deps.portraits.get(file)!, analysed: true };
      },
    };
  }
  const hash = crypto.createHash('sha256').update(bytes).digest('hex');
  if (existing && existing.hash === hash && existing.analyser === deps.analyser) {
    return {
      file,
      bytes: null,
      commit: () => {
        deps.portraits.updateStat(file, stat.size, stat.mtimeMs);
        return { row: deps.portraits.get(file)!, analysed: false };
      },
    };
  }
  const twin = deps.portraits.findByHash(hash, deps.analyser);
  if (twin) {
    return {
      file,
      bytes: null,
      commit: () => {
        deps.portraits.save({ ...twin, path: file, size: stat.size, mtime_ms: stat.mtimeMs, faces: JSON.parse(twin.faces_json), mood: parseMood(twin.mood_json) });
        return { row: deps.portraits.get(file)!, analysed: false };
      },
    };
  }
  const base = { path: file, size: stat.size, mtime_ms: stat.mtimeMs, hash, analyser: deps.analyser };
  return {
    file,
    bytes,
    hash,
    commit: (outcome) => {
      if (outcome.ok) {
        deps.portraits.save({ ...base, ...outcome.value.analysis, error: null, thumb: outcome.value.thumb });
      } else {
        deps.portraits.save({
          ...base, width: null, height: null, faces: [], quadrant: null, valence: null, arousal: null,
          error: outcome.message || 'Analysis failed', thumb: null,
        });
      }
      return { row: deps.portraits.get(file)!, analysed: true };
    },
  };
}

/** Analyses `bytes` in this thread; errors become a failed outcome (stored as the file's reason). */
export async function analyseHere(bytes: Buffer, hash: string, deps: Pick<LibraryDeps, 'classifier' | 'detect' | 'thumbsDir'>): Promise<AnalysisOutcome> {
  try {
    return { ok: true, value: await analyseBytes(bytes, hash, deps.classifier, deps.detect, deps.thumbsDir) };
  } catch (err) {
    return { ok: false, message: (err as Error).message || 'Analysis failed' };
  }
}

export async function ensureAnalysed(file: string, deps: LibraryDeps): Promise<{ row: PortraitRow; analysed: boolean }> {
  const prepared = await prepareFile(file, deps);
  if (prepared.bytes === null) return prepared.commit();
  return prepared.commit(await analyseHere(prepared.bytes, prepared.hash, deps));
}
