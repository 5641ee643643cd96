/** What an export is made from and what it reports back. */
import type { Portrait, Song } from '../../../shared/api.ts';
import type { MatchMode, PlaylistEntry } from '../../../shared/match.ts';

export interface ExportItem {
  portrait: Portrait;
  entry: PlaylistEntry;
  /** The song `entry.songId` points at; null when the portrait has no song. */
  song: Song | null;
}

export interface ExportRequest {
  mode: MatchMode;
  /** In playlist order; unmatched portraits included, they are listed with their reason. */
  items: ExportItem[];
  /** Where the portraits' `thumb` files live (Engine.thumbsDir). */
  thumbsDir: string;
  /** ISO 8601; defaults to now. Tests pin it for reproducible output. */
  createdAt?: string;
}

export interface ExportOptions {
  /** Copy songs and portrait originals into media/ so the folder can be moved or shared. */
  copyMedia: boolean;
  /** Replace an existing non-empty target folder (atomically). */
  overwrite: boolean;
}

export interface ExportResult {
  targetDir: string;
  /** Every file written, relative to targetDir, with forward slashes, sorted. */
  files: string[];
  pairs: number;
  unmatched: number;
  /** Media files copied into media/ (0 without copyMedia). */
  copiedMedia: number;
}

export type ExportErrorCode = 'exists' | 'not-a-folder' | 'unsafe-target' | 'invalid-name' | 'invalid-request';

/** A refusal the person can act on; `code` lets callers tell them apart. */
export class ExportError extends Error {
  constructor(
    readonly code: ExportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}
