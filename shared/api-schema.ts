/** Runtime checks for every argument that crosses into the trusted side. */
import { z } from 'zod';
import { FOLDER_KINDS, type ApiMethod } from './api.ts';
import { MATCH_MODES, PLAYLIST_ORDERS } from './match.ts';

const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'path contains a NUL byte');

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const idKey = z.string().regex(/^[1-9]\d{0,15}$/);

export const playlistSpecSchema = z.strictObject({
  mode: z.enum(MATCH_MODES),
  order: z.enum(PLAYLIST_ORDERS),
  faceChoice: z.record(idKey, z.number().int().min(0).max(1000)),
  picks: z.record(idKey, z.number().int().min(1).max(1000)),
  sequence: z.array(id).max(100_000),
});

export const API_SCHEMAS: { [M in ApiMethod]: z.ZodType } = {
  getAppInfo: z.undefined(),
  chooseFolder: z.strictObject({ kind: z.enum(FOLDER_KINDS) }),
  openRecentFolder: z.strictObject({ path: absolutePath, kind: z.enum(FOLDER_KINDS) }),
  listPortraits: z.strictObject({ folder: absolutePath }),
  listSongs: z.strictObject({ folder: absolutePath }),
  getPortrait: z.strictObject({ id: z.number().int().positive() }),
  cancelJob: z.strictObject({ jobId: z.string().min(1).max(100) }),
  exportPairs: z.strictObject({
    portraitFolder: absolutePath,
    musicFolder: absolutePath,
    spec: playlistSpecSchema,
    copyMedia: z.boolean(),
    overwrite: z.boolean(),
  }),
};
