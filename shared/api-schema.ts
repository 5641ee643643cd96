/** Runtime checks for every argument that crosses into the trusted side. */
import { z } from 'zod';
import { FOLDER_KINDS, type ApiMethod } from './api.ts';

const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'path contains a NUL byte');

export const API_SCHEMAS: { [M in ApiMethod]: z.ZodType } = {
  getAppInfo: z.undefined(),
  chooseFolder: z.strictObject({ kind: z.enum(FOLDER_KINDS) }),
  openRecentFolder: z.strictObject({ path: absolutePath, kind: z.enum(FOLDER_KINDS) }),
  listPortraits: z.strictObject({ folder: absolutePath }),
  getPortrait: z.strictObject({ id: z.number().int().positive() }),
  cancelJob: z.strictObject({ jobId: z.string().min(1).max(100) }),
};
