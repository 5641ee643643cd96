/** The main window, locked down: no Node in the page, sandboxed, no navigation, no popups. */
import { BrowserWindow, shell, session } from 'electron';
import path from 'node:path';
import { isAppUrl as isIndexUrl } from './app-url.ts';
import { rendererCsp } from '../../shared/csp.ts';

export const CSP = rendererCsp(['ps-media:']);

export function rendererIndex(distDir: string): string {
  return path.join(distDir, 'renderer', 'index.html');
}

export function isAppUrl(url: string, distDir: string): boolean {
  return isIndexUrl(url, rendererIndex(distDir));
}

/** Session-wide rules: CSP on every response and no permission (camera, mic, geolocation…). */
export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}

export function createMainWindow(distDir: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 720,
    minHeight: 480,
    title: 'Portrait Songs',
    backgroundColor: '#15161a',
    show: false,
    webPreferences: {
      preload: path.join(distDir, 'electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, distDir)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to museum pages and the like open in the person's browser, never in the app.
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadFile(rendererIndex(distDir));
  return win;
}
