import type { PortraitSongsApi } from '../../shared/api.ts';

declare global {
  interface Window {
    /** What the page sees: the preload's client in Electron, the same client over HTTP in browser mode. */
    api: PortraitSongsApi;
  }
}
