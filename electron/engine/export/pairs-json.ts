/** pairs.json: the machine-readable export; its schema is shared/pairs.schema.json (see FORMAT.md). */
import { APP_VERSION } from '../version.ts';
import type { MatchMode } from '../../../shared/match.ts';
import type { ExportRow, PairRow, UnmatchedRow } from './export-rows.ts';

export const PAIRS_FORMAT = 'portrait-songs-pairs';
/** 2: faces and songs say whose reading they carry (`source`), with the model's beside a person's. */
export const PAIRS_FORMAT_VERSION = 2;

export interface PairsDocument {
  format: typeof PAIRS_FORMAT;
  formatVersion: typeof PAIRS_FORMAT_VERSION;
  app: { name: 'Portrait Songs'; version: string };
  createdAt: string;
  mode: MatchMode;
  mediaCopied: boolean;
  counts: { portraits: number; pairs: number; unmatched: number };
  pairs: Omit<PairRow, 'kind' | 'item'>[];
  unmatched: Omit<UnmatchedRow, 'kind' | 'item'>[];
}

export function pairsDocument(rows: readonly ExportRow[], meta: { createdAt: string; mode: MatchMode; mediaCopied: boolean }): PairsDocument {
  const pairs: PairsDocument['pairs'] = [];
  const unmatched: PairsDocument['unmatched'] = [];
  for (const row of rows) {
    // Spelled out rather than spread so nothing internal (the source item) leaks into the file.
    if (row.kind === 'pair') pairs.push({ position: row.position, portrait: row.portrait, reading: row.reading, face: row.face, target: row.target, song: row.song, match: row.match });
    else unmatched.push({ position: row.position, portrait: row.portrait, faceCount: row.faceCount, reason: row.reason });
  }
  return {
    format: PAIRS_FORMAT,
    formatVersion: PAIRS_FORMAT_VERSION,
    app: { name: 'Portrait Songs', version: APP_VERSION },
    createdAt: meta.createdAt,
    mode: meta.mode,
    mediaCopied: meta.mediaCopied,
    counts: { portraits: rows.length, pairs: pairs.length, unmatched: unmatched.length },
    pairs,
    unmatched,
  };
}

export function pairsJson(doc: PairsDocument): string {
  return [...pairsJsonPieces(doc)].join('');
}

/**
 * JSON.stringify(doc, null, 2) and a line end, one array element at a time: the same text
 * without holding it whole. A value nested d levels deep is its own two-space JSON with every
 * line after the first indented 2·d spaces more.
 */
export function* pairsJsonPieces(doc: PairsDocument): Generator<string> {
  const nested = (value: unknown, depth: number) => JSON.stringify(value, null, 2).replaceAll('\n', '\n' + '  '.repeat(depth));
  const keys = Object.keys(doc).filter((k) => doc[k as keyof PairsDocument] !== undefined);
  yield '{';
  for (const [i, key] of keys.entries()) {
    const value = doc[key as keyof PairsDocument];
    yield `${i > 0 ? ',' : ''}\n  ${JSON.stringify(key)}: `;
    if (!Array.isArray(value) || value.length === 0) {
      yield nested(value, 1);
      continue;
    }
    yield '[';
    for (const [j, item] of value.entries()) yield `${j > 0 ? ',' : ''}\n    ${nested(item, 2)}`;
    yield '\n  ]';
  }
  yield '\n}\n';
}
