/**
 * The handler table behind `window.api`. The Electron shell binds it to ipcMain, the end-to-end
 * tests to a Playwright binding; both supply only what differs between them: how a folder is
 * picked, where media is served from, and what happens when a folder becomes readable.
 */
import type { ApiHandlers, FolderKind } from '../../../shared/api.ts';
import type { EngineApi } from '../engine.ts';
import { EngineError } from '../engine-error.ts';

export interface ApiHost {
  /** The native folder dialog (or its stand-in); null when cancelled. */
  pickFolder(kind: FolderKind): Promise<string | null>;
  mediaBase: string;
  /** Called before a folder is opened, so its files may be served as media. */
  allowRoot(folder: string): void;
}

export function createApiHandlers(engine: EngineApi, host: ApiHost): ApiHandlers {
  return {
    async getAppInfo() {
      return { ...(await engine.getInfo()), mediaBase: host.mediaBase };
    },
    async chooseFolder({ kind }) {
      const picked = await host.pickFolder(kind);
      if (picked === null) return null;
      host.allowRoot(picked);
      return engine.openFolder({ path: picked, kind });
    },
    async openRecentFolder({ path, kind }) {
      // Only folders the person picked before may be re-opened by path: a renderer must
      // not be able to widen what is readable by naming an arbitrary folder.
      const recent = await engine.recentFolders();
      if (!recent.some((f) => f.path === path && f.kind === kind)) {
        throw new EngineError('forbidden', 'That folder is not in the recent list; choose it with Open Folder.');
      }
      host.allowRoot(path);
      return engine.openFolder({ path, kind });
    },
    listPortraits: (req) => engine.listPortraits(req),
    getPortrait: (req) => engine.getPortrait(req),
    cancelJob: (req) => engine.cancelJob(req),
  };
}
