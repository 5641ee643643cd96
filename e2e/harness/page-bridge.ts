/**
 * Runs in the test page before the app: builds `window.api` with the same client preload uses,
 * over a Playwright binding instead of ipcRenderer.
 */
import { createApiClient } from '../../shared/api-client.ts';
import type { EngineEvent, Envelope, PortraitSongsApi } from '../../shared/api.ts';

declare global {
  interface Window {
    __psInvoke(channel: string, arg: unknown): Promise<Envelope<unknown>>;
    __psDispatch(event: EngineEvent): void;
    api: PortraitSongsApi;
  }
}

const listeners = new Set<(e: EngineEvent) => void>();
window.__psDispatch = (event) => {
  for (const l of listeners) l(event);
};
const api = createApiClient({
  invoke: (channel, arg) => window.__psInvoke(channel, arg),
  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
});
// contextBridge hands the page a frozen copy; do the same so the app cannot rely on mutating it.
Object.defineProperty(window, 'api', { value: Object.freeze(api), writable: false, configurable: false });
