/**
 * The handler table behind `window.api`. The Electron shell binds it to ipcMain, the end-to-end
 * tests to a Playwright binding; both supply only what differs between them: how a folder is
 * picked, where media is served from, what happens when a folder becomes readable, and how the
 * person is asked before an export replaces a folder. Catalog rows reach the page only from
 * folders opened in this session (see SessionScope).
 */
import type { ApiHandlers, FolderKind, FolderListing } from '../../../shared/api.ts';
import type { EngineApi, EngineInfo } from '../engine.ts';
import { EngineError } from '../engine-error.ts';
import type { SessionScope } from './session-scope.ts';
import { resolveDroppedPaths } from '../scan/dropped-folder.ts';
import { readThumb } from '../media/read-thumb.ts';

export interface ApiHost {
  /**
   * The native folder dialog (or its stand-in); null when cancelled. `suggested` is the folder
   * the page named: a native dialog only starts there, the in-app picker's host checks and uses it.
   */
  pickFolder(kind: FolderKind, suggested: string | null): Promise<string | null>;
  /** 'native' (the default) where the host shows its own dialog; 'in-app' where the page picks (browser mode). */
  folderPicker?: 'native' | 'in-app';
  /** The in-app picker's listing; hosts with a native dialog leave it out and the call is refused. */
  browse?(folder: string | null): Promise<FolderListing>;
  /** Browser mode: the page's answer to a pending confirmReplace question it was sent. */
  answerReplace?(requestId: string, replace: boolean): boolean;
  mediaBase: string;
  /** The app's thumbnail cache (readThumbnails reads it). */
  thumbsDir: string;
  /** Called before a folder is opened, so its files may be served as media. */
  allowRoot(folder: string): void;
  /** The native dialog for choosing (or creating) the export folder; null when cancelled. */
  pickExportFolder(suggested: string | null): Promise<string | null>;
  /**
   * The host's own "Replace?" dialog for a picked export folder that is not empty. Only a yes
   * here deletes anything: the page's `overwrite` flag is never enough on its own.
   */
  confirmReplace(folder: string): Promise<boolean>;
  /**
   * Electron: true only for paths its preload saw in a real drop (see DroppedPaths). Browser mode
   * leaves it out: there the page names folders for the in-app picker anyway.
   */
  mayOpenDropped?(paths: readonly string[]): boolean;
}

const notFound = (id: number) => new EngineError('not-found', `No portrait with id ${id}.`);

/**
 * `scope` is shared with the host: it feeds the media handler (`mayServeThumb`) and must see the
 * engine's events (`observe`), so rows pushed live show their thumbnails.
 */
export function createApiHandlers(engine: EngineApi, host: ApiHost, scope: SessionScope): ApiHandlers {
  const assertOpened = (folder: string, kind: FolderKind) => {
    if (!scope.covers(folder, kind)) {
      throw new EngineError('forbidden', `Open the ${kind} folder in Portrait Songs before exporting from it.`);
    }
  };
  const assertListable = (folder: string, kind: FolderKind) => {
    if (!scope.covers(folder, kind)) throw new EngineError('forbidden', `Open this ${kind} folder first; only folders opened in this session can be listed.`);
  };
  const open = (folder: string, kind: FolderKind) => {
    // Before the engine starts its job, so the first rows it pushes are already in scope.
    host.allowRoot(folder);
    scope.open(folder, kind);
    return engine.openFolder({ path: folder, kind });
  };
  const appInfo = (info: EngineInfo) => ({ ...info, mediaBase: host.mediaBase, folderPicker: host.folderPicker ?? 'native' });
  return {
    getAppInfo: async () => appInfo(await engine.getInfo()),
    async chooseFolder({ kind, path }) {
      const picked = await host.pickFolder(kind, path ?? null);
      if (picked === null) return null;
      return open(picked, kind);
    },
    async openDroppedPaths({ paths }) {
      if (host.mayOpenDropped && !host.mayOpenDropped(paths)) {
        throw new EngineError('forbidden', 'Only folders dropped on the window just now can be opened this way.');
      }
      // A dropped folder counts as one the person chose: opened (and so readable) like a picked one.
      const dropped = await resolveDroppedPaths(paths);
      return open(dropped.folder, dropped.kind);
    },
    async openRecentFolder({ path, kind }) {
      // Only folders the person picked before may be re-opened by path: a renderer must
      // not be able to widen what is readable by naming an arbitrary folder.
      const recent = await engine.recentFolders();
      if (!recent.some((f) => f.path === path && f.kind === kind)) {
        throw new EngineError('forbidden', 'That folder is not in the recent list; choose it with Open Folder.');
      }
      return open(path, kind);
    },
    async listPortraits(req) {
      assertListable(req.folder, 'portraits');
      const rows = await engine.listPortraits(req);
      scope.show(rows.map((r) => r.thumb));
      return rows;
    },
    async listSongs(req) {
      assertListable(req.folder, 'music');
      const rows = await engine.listSongs(req);
      scope.show(rows.map((r) => r.cover));
      return rows;
    },
    async readThumbnails({ names }) {
      // Only thumbnails of rows this session showed the page, as the media handler serves them.
      return Promise.all(
        names.map(async (name) => {
          const thumb = scope.mayServeThumb(name) ? await readThumb(host.thumbsDir, name) : null;
          return thumb ? `data:image/jpeg;base64,${thumb.bytes.toString('base64')}` : null;
        }),
      );
    },
    async getPortrait(req) {
      const row = await engine.getPortrait(req);
      // The same answer as a missing id: the page learns nothing about rows it may not see.
      if (!scope.covers(row.path, 'portraits')) throw notFound(req.id);
      scope.show([row.thumb]);
      return row;
    },
    async correctFace(req) {
      // Only faces the page may see can be corrected; any other id reads as missing.
      const before = await engine.getPortrait({ id: req.portraitId });
      if (!scope.covers(before.path, 'portraits')) throw notFound(req.portraitId);
      return engine.correctFace(req);
    },
    async correctSong(req) {
      const before = await engine.getSong({ id: req.songId });
      if (!scope.covers(before.path, 'music')) throw new EngineError('not-found', `No song with id ${req.songId}.`);
      return engine.correctSong(req);
    },
    async browseFolders(req) {
      if (!host.browse) throw new EngineError('forbidden', 'Folders are chosen with the system dialog here.');
      return host.browse(req.path ?? null);
    },
    async answerReplace(req) {
      return { answered: host.answerReplace?.(req.requestId, req.replace) ?? false };
    },
    cancelJob: (req) => engine.cancelJob(req),
    setFaceSearch: async (req) => appInfo(await engine.setFaceSearch(req)),
    async exportPairs(req) {
      assertOpened(req.portraitFolder, 'portraits');
      assertOpened(req.musicFolder, 'music');
      // `req.overwrite` is deliberately unused: replacing is decided below, by the host, for
      // exactly the folder just found occupied, and nothing is remembered between calls.
      const target = await host.pickExportFolder(req.target ?? null);
      if (target === null) return { status: 'cancelled' };
      const first = await engine.exportPlaylist({ ...req, overwrite: false, target });
      if (first.status !== 'exists') return first;
      if (!(await host.confirmReplace(first.folder))) return { status: 'cancelled' };
      return engine.exportPlaylist({ ...req, overwrite: true, target: first.folder });
    },
  };
}
