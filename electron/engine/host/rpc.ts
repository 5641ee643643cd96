/** Messages between the Electron shell and the engine's utility process. */
import type { EngineEvent } from '../../../shared/api.ts';
import type { EngineApi } from '../engine.ts';

export type EngineMethod = keyof EngineApi;
export const ENGINE_METHODS: EngineMethod[] = ['getInfo', 'openFolder', 'listPortraits', 'listSongs', 'getPortrait', 'getSong', 'correctFace', 'correctSong', 'cancelJob', 'recentFolders', 'exportPlaylist'];

export type ToEngine = { id: number; method: EngineMethod; arg: unknown };
export type FromEngine =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code: string; message: string } }
  | { event: EngineEvent }
  | { ready: true };
