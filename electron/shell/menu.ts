/** The application menu; commands that belong to the page are sent to it as events. */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { EngineEvent } from '../../shared/api.ts';

export function installMenu(send: (event: EngineEvent) => void): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Portraits Folder…', accelerator: 'CmdOrCtrl+O', click: () => send({ type: 'menu', command: 'open-portraits' }) },
        { label: 'Open Music Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => send({ type: 'menu', command: 'open-music' }) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
