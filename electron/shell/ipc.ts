/** Binds the API table to ipcMain; only the app's own top frame may call it. */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { API_CHANNELS, type ApiHandlers, type Envelope } from '../../shared/api.ts';
import { dispatch } from '../engine/api/dispatch.ts';
import { isAppUrl } from './window.ts';

export function bindIpc(handlers: ApiHandlers, getWindow: () => BrowserWindow | null, distDir: string): void {
  for (const channel of Object.values(API_CHANNELS)) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, arg: unknown): Promise<Envelope<unknown>> => {
      const win = getWindow();
      const frame = event.senderFrame;
      if (!win || event.sender !== win.webContents || !frame || frame !== win.webContents.mainFrame || !isAppUrl(frame.url, distDir)) {
        return { ok: false, error: { code: 'forbidden', message: 'Calls are accepted only from the Portrait Songs window.' } };
      }
      return dispatch(handlers, channel, arg);
    });
  }
}
