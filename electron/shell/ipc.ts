/** Binds the API table to ipcMain; only the app's own top frame may call it. */
import { ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { API_CHANNELS, DROPPED_PATHS_CHANNEL, type ApiHandlers, type Envelope } from '../../shared/api.ts';
import { dispatch } from '../engine/api/dispatch.ts';
import type { DroppedPaths } from '../engine/api/dropped-paths.ts';
import { isAppUrl } from './window.ts';

function fromAppWindow(event: IpcMainEvent | IpcMainInvokeEvent, getWindow: () => BrowserWindow | null, distDir: string): boolean {
  const win = getWindow();
  const frame = event.senderFrame;
  return !!win && event.sender === win.webContents && !!frame && frame === win.webContents.mainFrame && isAppUrl(frame.url, distDir);
}

export function bindIpc(handlers: ApiHandlers, getWindow: () => BrowserWindow | null, distDir: string): void {
  for (const channel of Object.values(API_CHANNELS)) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, arg: unknown): Promise<Envelope<unknown>> => {
      if (!fromAppWindow(event, getWindow, distDir)) {
        return { ok: false, error: { code: 'forbidden', message: 'Calls are accepted only from the Portrait Songs window.' } };
      }
      return dispatch(handlers, channel, arg);
    });
  }
}

/** The preload's report of a real drop: only ipcRenderer (the preload, not the page) can send it. */
export function bindDroppedPaths(dropped: DroppedPaths, getWindow: () => BrowserWindow | null, distDir: string): void {
  ipcMain.on(DROPPED_PATHS_CHANNEL, (event: IpcMainEvent, paths: unknown) => {
    if (fromAppWindow(event, getWindow, distDir)) dropped.record(paths);
  });
}
