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
  /** The native dialog for choosing (or creating) the export folder; null when cancelled. */
  pickExportFolder(): Promise<string | null>;
}

export function createApiHandlers(engine: EngineApi, host: ApiHost): ApiHandlers {
  // The folder picked for an export that found it occupied: "Replace" reuses it without a
  // second dialog, and the renderer never names a folder to write to itself.
  let pendingExport: string | null = null;
  const assertOpened = async (folder: string, kind: 'portraits' | 'music') => {
    const recent = await engine.recentFolders();
    if (!recent.some((f) => f.path === folder && f.kind === kind)) {
      throw new EngineError('forbidden', `Open the ${kind} folder in Portrait Songs before exporting from it.`);
    }
  };
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
    listSongs: (req) => engine.listSongs(req),
    getPortrait: (req) => engine.getPortrait(req),
    cancelJob: (req) => engine.cancelJob(req),
    async exportPairs(req) {
      await assertOpened(req.portraitFolder, 'portraits');
      await assertOpened(req.musicFolder, 'music');
      const target = req.overwrite && pendingExport ? pendingExport : await host.pickExportFolder();
      if (target === null) return { status: 'cancelled' };
      const outcome = await engine.exportPlaylist({ ...req, target });
      pendingExport = outcome.status === 'exists' ? target : null;
      return outcome;
    },
  };
}
