/** Exposes exactly the typed API, built by the same client the tests use, and nothing else. */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createApiClient } from '../../shared/api-client.ts';
import { EVENT_CHANNEL, type EngineEvent, type Envelope } from '../../shared/api.ts';

const api = createApiClient({
  invoke: (channel, arg) => ipcRenderer.invoke(channel, arg) as Promise<Envelope<unknown>>,
  subscribe(listener) {
    const wrapped = (_e: IpcRendererEvent, event: EngineEvent) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.off(EVENT_CHANNEL, wrapped);
  },
});

contextBridge.exposeInMainWorld('api', api);
