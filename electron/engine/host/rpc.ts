/** Messages between the Electron shell and the engine's utility process. */
import type { EngineEvent } from '../../../shared/api.ts';
import type { EngineApi } from '../engine.ts';

export type EngineMethod = keyof EngineApi;
// A table keyed by every method, so a method added to EngineApi and left out here fails to type-check.
const ENGINE_METHOD_SET: Record<EngineMethod, true> = {
  getInfo: true, openFolder: true, listPortraits: true, listSongs: true, getPortrait: true, getSong: true,
  correctFace: true, correctSong: true, cancelJob: true, setFaceSearch: true, recentFolders: true, exportPlaylist: true,
};
export const ENGINE_METHODS = Object.keys(ENGINE_METHOD_SET) as EngineMethod[];

export type ToEngine = { id: number; method: EngineMethod; arg: unknown };
export type FromEngine =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code: string; message: string } }
  | { event: EngineEvent }
  | { ready: true };
