/**
 * Exposes exactly the typed API, built by the same client the tests use, and, apart from it, the
 * one thing only a preload can do for a drop: name the path of a dropped file.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { createApiClient } from '../../shared/api-client.ts';
import { DROP_BRIDGE, DROPPED_PATHS_CHANNEL, EVENT_CHANNEL, type EngineEvent, type Envelope } from '../../shared/api.ts';

const api = createApiClient({
  invoke: (channel, arg) => ipcRenderer.invoke(channel, arg) as Promise<Envelope<unknown>>,
  subscribe(listener) {
    const wrapped = (_e: IpcRendererEvent, event: EngineEvent) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.off(EVENT_CHANNEL, wrapped);
  },
});

contextBridge.exposeInMainWorld('api', api);

const pathOf = (file: File): string => {
  try {
    return webUtils.getPathForFile(file);
  } catch {
    return '';
  }
};

contextBridge.exposeInMainWorld(DROP_BRIDGE, { pathForFile: (file: File) => pathOf(file) });

// Before the page's own handlers (capture, on window): the shell learns which paths a real drop
// carried, so it opens those and nothing a page merely names. A script's synthetic drop is not trusted.
window.addEventListener(
  'drop',
  (e) => {
    if (!e.isTrusted || !e.dataTransfer) return;
    const paths = [...e.dataTransfer.files].map(pathOf).filter((p) => p !== '');
    if (paths.length) ipcRenderer.send(DROPPED_PATHS_CHANNEL, paths);
  },
  true,
);
