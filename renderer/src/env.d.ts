/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { PortraitSongsApi } from '../../shared/api.ts';

declare global {
  interface Window {
    /** Exposed by the preload in Electron; built over HTTP by main.ts in browser mode. */
    api: PortraitSongsApi;
    /** Electron only (shared/api.ts DROP_BRIDGE): the path of a dropped file; absent in browser mode. */
    portraitSongsDrop?: { pathForFile(file: File): string };
  }
}
export {};
