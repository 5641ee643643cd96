/** The Electron main process: thin glue between the window, the OS and the engine process. */
import { app, BrowserWindow, dialog } from 'electron';
import path from 'node:path';
import { EVENT_CHANNEL, type EngineEvent } from '../../shared/api.ts';
import { createApiHandlers } from '../engine/api/api-handlers.ts';
import { SessionScope } from '../engine/api/session-scope.ts';
import { defaultDataDir } from '../engine/data-dir.ts';
import { EngineHost } from '../engine/host/engine-host.ts';
import { spawnUtilityEngine } from './engine-process.ts';
import { bindDroppedPaths, bindIpc } from './ipc.ts';
import { DroppedPaths } from '../engine/api/dropped-paths.ts';
import { installMenu } from './menu.ts';
import { handleMediaScheme, MEDIA_BASE, registerMediaScheme } from './protocol.ts';
import { createMainWindow, hardenSession } from './window.ts';

// dist/electron/main.js → dist/
const distDir = path.resolve(import.meta.dirname, '..');
const dataDir = defaultDataDir();
app.setPath('userData', dataDir);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerMediaScheme();
  let win: BrowserWindow | null = null;
  const roots = new Set<string>();
  const scope = new SessionScope();
  const dropped = new DroppedPaths();
  const send = (event: EngineEvent) => {
    scope.observe(event);
    win?.webContents.send(EVENT_CHANNEL, event);
  };
  const engine = new EngineHost(spawnUtilityEngine, path.join(distDir, 'electron', 'engine-process.js'), dataDir, send);

  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });

  app.whenReady().then(() => {
    hardenSession();
    handleMediaScheme({ roots: () => roots, thumbsDir: path.join(dataDir, 'thumbs'), mayServeThumb: (name) => scope.mayServeThumb(name) });
    engine.start();
    const handlers = createApiHandlers(engine.api, {
      mediaBase: MEDIA_BASE,
      thumbsDir: path.join(dataDir, 'thumbs'),
      allowRoot: (folder) => roots.add(folder),
      mayOpenDropped: (paths) => dropped.allows(paths),
      // The native dialog decides; a folder the page names only says where it starts.
      async pickFolder(kind, suggested) {
        const options = {
          title: kind === 'music' ? 'Open a music folder' : 'Open a folder of portraits',
          properties: ['openDirectory' as const],
          ...(suggested ? { defaultPath: suggested } : {}),
        };
        const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async pickExportFolder(suggested) {
        const options = {
          ...(suggested ? { defaultPath: suggested } : {}),
          title: 'Export portrait–song pairs to a folder',
          buttonLabel: 'Export here',
          properties: ['openDirectory' as const, 'createDirectory' as const, 'promptToCreate' as const],
        };
        const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async confirmReplace(folder) {
        // Asked here, in the process that deletes, never on the page's word.
        const options = {
          type: 'warning' as const,
          title: 'Replace the folder?',
          message: `The folder ${folder} is not empty.`,
          detail: 'Replace its contents with this export? What is in it now will be deleted.',
          buttons: ['Cancel', 'Replace'],
          defaultId: 0,
          cancelId: 0,
          noLink: true,
        };
        const result = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
        return result.response === 1;
      },
    }, scope);
    bindIpc(handlers, () => win, distDir);
    bindDroppedPaths(dropped, () => win, distDir);
    installMenu(send);
    win = createMainWindow(distDir);
    win.on('closed', () => (win = null));
  });

  app.on('window-all-closed', () => {
    engine.stop();
    app.quit();
  });
}
