/** Runtime checks for every argument that crosses into the trusted side. */
import { z } from 'zod';
import { FACE_SEARCHES, FOLDER_KINDS, THUMB_BATCH, THUMB_NAME, type ApiMethod } from './api.ts';
import { MUSIC_QUADRANTS, QUADRANTS } from './emotion.ts';
import { MATCH_MODES, PLAYLIST_ORDERS, START_AT } from './match.ts';

const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'path contains a NUL byte');

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const idKey = z.string().regex(/^[1-9]\d{0,15}$/);

/** More per-portrait edits than a person makes by hand; a bound keeps validation time bounded. */
export const MAX_SPEC_KEYS = 10_000;
export const MAX_SEQUENCE = 100_000;

/**
 * Counts own keys (or items) before any per-key check runs: zod checks sizes only after
 * validating every entry, so a million keys would cost seconds of main-process time.
 * (`Object.keys` rather than an early-exit `for…in`: V8 enumerates every key for both, and
 * `Object.keys` does it several times faster.)
 */
function sizeAtMost(max: number, value: unknown): boolean {
  if (Array.isArray(value)) return value.length <= max;
  if (typeof value !== 'object' || value === null) return true; // the typed schema reports it
  return Object.keys(value).length <= max;
}

const bounded = <T extends z.ZodType>(max: number, what: string, schema: T) =>
  z
    .unknown()
    .refine((v) => sizeAtMost(max, v), { message: `at most ${max} ${what}`, abort: true })
    .pipe(schema);

export const playlistSpecSchema = z.strictObject({
  mode: z.enum(MATCH_MODES),
  order: z.enum(PLAYLIST_ORDERS),
  faceChoice: bounded(MAX_SPEC_KEYS, 'entries', z.record(idKey, z.number().int().min(0).max(1000))),
  picks: bounded(MAX_SPEC_KEYS, 'entries', z.record(idKey, z.number().int().min(1).max(1000))),
  sequence: bounded(MAX_SEQUENCE, 'items', z.array(id).max(MAX_SEQUENCE)),
  maxUses: z.number().int().min(1).max(100_000).optional(),
  /** Portraits without a face matched by their picture mood; absent: on. */
  pictureMood: z.boolean().optional(),
  /** Where matched songs start; absent: their best-fitting stretch. */
  startAt: z.enum(START_AT).optional(),
});

const axis = z.number().min(-1).max(1);
const pointInput = z.strictObject({ valence: axis, arousal: axis });

export const API_SCHEMAS: { [M in ApiMethod]: z.ZodType } = {
  getAppInfo: z.undefined(),
  chooseFolder: z.strictObject({ kind: z.enum(FOLDER_KINDS), path: absolutePath.optional() }),
  browseFolders: z.strictObject({ path: absolutePath.optional() }),
  answerReplace: z.strictObject({ requestId: z.string().min(1).max(100), replace: z.boolean() }),
  openRecentFolder: z.strictObject({ path: absolutePath, kind: z.enum(FOLDER_KINDS) }),
  openDroppedPaths: z.strictObject({ paths: z.array(absolutePath).min(1).max(1000) }),
  listPortraits: z.strictObject({ folder: absolutePath }),
  listSongs: z.strictObject({ folder: absolutePath }),
  getPortrait: z.strictObject({ id: z.number().int().positive() }),
  readThumbnails: z.strictObject({ names: z.array(z.string().regex(THUMB_NAME)).min(1).max(THUMB_BATCH) }),
  correctFace: z.strictObject({
    portraitId: id,
    faceIndex: z.number().int().min(0).max(1000),
    reading: z.union([z.strictObject({ quadrant: z.enum(QUADRANTS) }), pointInput, z.null()]),
  }),
  correctSong: z.strictObject({
    songId: id,
    reading: z.union([z.strictObject({ quadrant: z.enum(MUSIC_QUADRANTS) }), pointInput, z.null()]),
  }),
  cancelJob: z.strictObject({ jobId: z.string().min(1).max(100) }),
  setFaceSearch: z.strictObject({ mode: z.enum(FACE_SEARCHES) }),
  exportPairs: z.strictObject({
    portraitFolder: absolutePath,
    musicFolder: absolutePath,
    spec: playlistSpecSchema,
    copyMedia: z.boolean(),
    overwrite: z.boolean(),
    target: absolutePath.optional(),
  }),
};
