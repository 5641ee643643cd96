/** The Electron main process: thin glue between the window, the OS and the engine process. */
import { app, BrowserWindow, dialog } from 'electron';
import path from 'node:path';
import { EVENT_CHANNEL, type EngineEvent } from '../../shared/api.ts';
import { createApiHandlers } from '../engine/api/api-handlers.ts';
import { defaultDataDir } from '../engine/data-dir.ts';
import { EngineHost } from '../engine/host/engine-host.ts';
import { spawnUtilityEngine } from './engine-process.ts';
import { bindIpc } from './ipc.ts';
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
  const send = (event: EngineEvent) => win?.webContents.send(EVENT_CHANNEL, event);
  const engine = new EngineHost(spawnUtilityEngine, path.join(distDir, 'electron', 'engine-process.js'), dataDir, send);

  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });

  app.whenReady().then(() => {
    hardenSession();
    handleMediaScheme({ roots: () => roots, thumbsDir: path.join(dataDir, 'thumbs') });
    engine.start();
    const handlers = createApiHandlers(engine.api, {
      mediaBase: MEDIA_BASE,
      allowRoot: (folder) => roots.add(folder),
      async pickFolder(kind) {
        const options = { title: kind === 'music' ? 'Open a music folder' : 'Open a folder of portraits', properties: ['openDirectory' as const] };
        const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async pickExportFolder() {
        const options = {
          title: 'Export portrait–song pairs to a folder',
          buttonLabel: 'Export here',
          properties: ['openDirectory' as const, 'createDirectory' as const, 'promptToCreate' as const],
        };
        const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
    });
    bindIpc(handlers, () => win, distDir);
    installMenu(send);
    win = createMainWindow(distDir);
    win.on('closed', () => (win = null));
  });

  app.on('window-all-closed', () => {
    engine.stop();
    app.quit();
  });
}
